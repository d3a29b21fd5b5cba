"""Demonstration content for ``manage.py load_demo``: fictional sections, people and stories.

Every place, person and event here is invented. Pictures are drawn with Pillow at load time, so the
demo needs no downloads and the repository carries no binary files. Publication times are offsets
from the moment the demo is loaded, so a fresh database always looks like a live news site.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps

HERO_SIZE = (1600, 900)
PORTRAIT_SIZE = 400
HERO_CREDIT = "Illustration: Newsroom demo artwork"

# Named colours, so that each hero image's alt text can say what the picture shows.
PALETTE = {
    "harbour blue": "#1d4e89",
    "signal orange": "#f28c28",
    "slate": "#4a5568",
    "sand": "#e2c799",
    "moss green": "#5b7a3a",
    "wheat": "#e9d8a6",
    "sea green": "#2a9d8f",
    "storm grey": "#6c757d",
    "deep red": "#9b2226",
    "ochre": "#ca6702",
    "navy": "#14213d",
    "sky blue": "#8ecae6",
    "plum": "#5e3c58",
    "rose": "#e5989b",
    "teal": "#005f73",
    "lemon": "#f4e285",
    "charcoal": "#264653",
    "coral": "#e76f51",
    "ivory": "#f8f4e3",
    "olive": "#606c38",
}


@dataclass(frozen=True)
class SectionData:
    slug: str
    name: str
    description: str
    position: int


@dataclass(frozen=True)
class Person:
    slug: str
    name: str
    job_title: str
    bio: str
    colour: str
    social_links: tuple[str, ...] = ()
    email: str = ""

    @property
    def initials(self):
        return "".join(part[0] for part in self.name.split()[:2]).upper()


@dataclass(frozen=True)
class Story:
    slug: str
    section: str
    kicker: str
    headline: str
    dek: str
    body: str
    tags: tuple[str, ...]
    bylines: tuple[tuple[str, str], ...]  # (author slug, byline role)
    colours: tuple[str, str]
    hero_caption: str
    status: str = "published"
    publish_in: timedelta | None = None  # from load time; negative is the past
    featured: bool = False

    @property
    def hero_alt(self):
        start, end = self.colours
        return (
            f"Abstract illustration: translucent circles and bands on a {start} to {end} gradient."
        )


@dataclass(frozen=True)
class TeaserData:
    on: str
    position: int
    target: str = ""
    url: str = ""
    headline: str = ""
    excerpt: str = ""
    ends_in: timedelta | None = None


@dataclass(frozen=True)
class CorrectionData:
    on: str
    kind: str
    text: str
    after_publication: timedelta


@dataclass(frozen=True)
class Login:
    username: str
    group: str
    author: str


SECTIONS = [
    SectionData("world", "World", "News from beyond our borders and along them.", 1),
    SectionData("politics", "Politics", "Parliament, government and the town halls.", 2),
    SectionData("business", "Business", "Markets, work, money and trade.", 3),
    SectionData("science", "Science", "Research, health, space and the environment.", 4),
    SectionData("culture", "Culture", "Museums, music, books and the arts.", 5),
]

PEOPLE = [
    Person(
        slug="maren-okafor",
        name="Maren Okafor",
        job_title="Defence and security correspondent",
        bio=(
            "Maren Okafor covers military, intelligence and geopolitics. She spent six years "
            "reporting from the Orlen Strait region and writes about **how navies, spies and "
            "treaties shape everyday trade**."
        ),
        colour="#14213d",
        social_links=(
            "https://social.example/@marenokafor",
            "https://video.example/c/marenokafor",
        ),
        email="maren.okafor@newsroom.example",
    ),
    Person(
        slug="tomas-lindqvist",
        name="Tomás Lindqvist",
        job_title="Political editor",
        bio=(
            "Tomás Lindqvist leads the politics desk. He has covered four general elections and "
            "more town-hall recounts than he would like, and edits the *Week in Parliament* "
            "briefing."
        ),
        colour="#9b2226",
        social_links=("https://social.example/@tlindqvist",),
        email="tomas.lindqvist@newsroom.example",
    ),
    Person(
        slug="priya-castellano",
        name="Priya Castellano",
        job_title="Economics correspondent",
        bio=(
            "Priya Castellano writes about interest rates, ports and the price of things. Before "
            "journalism she worked as a freight analyst."
        ),
        colour="#ca6702",
        social_links=(
            "https://social.example/@priyacastellano",
            "https://blog.example/priya",
        ),
        email="priya.castellano@newsroom.example",
    ),
    Person(
        slug="jonah-abernethy",
        name="Jonah Abernethy",
        job_title="Science and environment reporter",
        bio=(
            "Jonah Abernethy reports on climate, water, medicine and space. He trained as a "
            "hydrologist and still reads reservoir tables for fun."
        ),
        colour="#2a9d8f",
        social_links=("https://social.example/@jonahabernethy",),
        email="jonah.abernethy@newsroom.example",
    ),
    Person(
        slug="ilse-varga",
        name="Ilse Varga",
        job_title="Contributor",
        bio=(
            "Ilse Varga is a freelance writer based on Kessel Island. She writes about the "
            "islands, music and museums."
        ),
        colour="#5e3c58",
        social_links=("https://social.example/@ilsevarga",),
    ),
]

LOGINS = [
    Login(username="reporter", group="Reporter", author="jonah-abernethy"),
    Login(username="editor", group="Editor", author="tomas-lindqvist"),
]

STORIES = [
    Story(
        slug="port-halvard-dockworkers-walk-out",
        section="business",
        kicker="Port strike",
        headline="Dockworkers walk out at Port Halvard as automation talks collapse",
        dek=(
            "Ships queued beyond the breakwater on Monday after the dockers' union rejected a plan "
            "to replace straddle-carrier drivers with remote operators."
        ),
        body="""\
Container traffic at Port Halvard came to a standstill on Monday morning when about 2,300
dockworkers left the terminals at the start of the early shift, hours after eleven weeks of
negotiations over automation broke down.

By midday fourteen vessels were waiting at anchor beyond the breakwater, according to the harbour
master's published schedule, and the port authority had stopped taking bookings for refrigerated
cargo.

# What the dispute is about

The terminal operator wants to move the drivers of its straddle carriers, the tall machines that
shuttle containers around the yard, into a remote-control room over the next three years. The
union says the plan would cut roughly 600 jobs. The operator puts the figure at 240 and says no one
would be made redundant.

The two sides had agreed most of a new pay deal. The sticking points, according to a summary sent
to union members, were:

- how many remote-operator posts would be guaranteed for today's drivers;
- who pays for retraining, and on whose time;
- whether the agreement can be reopened if the operator automates the quay cranes as well.

# Who feels it first

Fruit importers said they had diverted two ships to smaller ports along the coast. "We have about
four days before the bananas become a problem," said one logistics manager, who asked not to be
named because her company is a customer of the terminal.

The union has called a members' meeting for Thursday. The operator said its door "remains open".
""",
        tags=("Labour", "Trade", "Transport"),
        bylines=(("priya-castellano", "reporter"), ("jonah-abernethy", "additional")),
        colours=("harbour blue", "signal orange"),
        hero_caption="Port Halvard handles about a third of the country's container traffic.",
        publish_in=timedelta(hours=-2),
        featured=True,
    ),
    Story(
        slug="rail-fare-freeze-minister-post",
        section="politics",
        kicker="Rail fares",
        headline="Transport minister defends rail fare freeze in late-night post",
        dek=(
            "Facing questions over how the freeze will be paid for, the minister promised to "
            "publish the figures on Monday."
        ),
        body="""\
The transport minister has defended the government's decision to freeze rail fares until the
spring, after two rail operators warned that the cost would fall on services.

In a post published late on Sunday, the minister wrote:

<figure><blockquote cite="https://social.example/@transportminister/10931"><p>Fares stay frozen until the spring. The gap is covered by the rail reserve, not by cutting trains. I will publish every number on Monday so you can check.</p></blockquote><figcaption>— @transportminister on Social, <a href="https://social.example/@transportminister/10931">Sunday, 23:14</a></figcaption></figure>

The rail reserve, a fund built up from track-access charges, held about 1.2 billion crowns at the
end of the last financial year. Operators estimate the freeze will cost between 300 and 400
million.

# The operators' objection

The two largest operators say the reserve was meant for signalling upgrades, and that spending it
on fares only delays the question of who pays. One of them has already postponed an order for new
carriages.

Opposition transport spokespeople called the post "government by announcement" and asked for the
minister to appear before the transport committee.
""",
        tags=("Transport", "Government"),
        bylines=(("tomas-lindqvist", "reporter"), ("priya-castellano", "additional")),
        colours=("navy", "sky blue"),
        hero_caption="Regional trains carry about 90 million passengers a year.",
        publish_in=timedelta(hours=-5),
    ),
    Story(
        slug="vessany-basin-drought-third-year",
        section="world",
        kicker="Drought",
        headline="Vessany basin enters a third dry year as reservoirs fall below a quarter",
        dek=(
            "The three countries that share the river have agreed to cut irrigation by a fifth, "
            "but the delta downstream is already turning salty."
        ),
        body="""\
The reservoirs of the Vessany basin held 23% of their capacity at the end of last month, the lowest
level since records began, as the region entered a third year of below-average rain.

Water ministers from the three countries that share the river met on Friday and agreed to cut
irrigation withdrawals by a fifth until the autumn rains. Drinking water is exempt.

# Salt in the delta

Downstream, the shrunken river no longer holds back the sea. Salt water has been measured 38
kilometres inland, twice as far as in an ordinary summer, and rice farmers in the delta have
stopped flooding their fields.

What the agreement covers:

- a 20% cut in licensed irrigation draws, enforced by meters at the main canal gates;
- weekly publication of reservoir levels by each country;
- a joint fund to truck water to villages whose wells have failed.

Hydrologists say the cuts will slow the decline but not reverse it. "The basin has been running a
deficit for a decade," said one who advises the river commission. "The drought has only made the
bill arrive."
""",
        tags=("Climate", "Water", "Agriculture"),
        bylines=(("jonah-abernethy", "reporter"), ("maren-okafor", "additional")),
        colours=("ochre", "sand"),
        hero_caption="The Vessany river supplies water to about eleven million people.",
        publish_in=timedelta(hours=-9),
    ),
    Story(
        slug="orlen-strait-naval-exercise",
        section="world",
        kicker="Defence",
        headline="Naval exercise in the Orlen Strait draws protests from two neighbours",
        dek=(
            "Twelve warships and a submarine will spend nine days rehearsing mine clearance in the "
            "busiest shipping lane in the region."
        ),
        body="""\
Twelve warships and a submarine from four navies began a nine-day exercise in the Orlen Strait on
Tuesday, drawing formal protests from two neighbouring governments, which called it "an unnecessary
show of force" in a commercial waterway.

The defence ministry says the drill is routine and concentrates on clearing sea mines, a skill that
has become a priority since drifting mines were found near the strait's southern approaches last
winter.

# Shipping continues, slowly

Merchant ships will keep using the strait, but the exercise closes two of its five lanes for part
of each day. Shipping agents expect delays of up to six hours for tankers.

Diplomats from both protesting governments said they were told of the exercise only a week in
advance, less than the thirty days they say a regional agreement requires. The ministry disputes
that the agreement covers mine-clearance training.

Analysts say the row says less about the exercise than about the strait itself: a narrow channel
through which much of the region's fuel passes, and where no one has yet agreed who should keep
the lanes clear.
""",
        tags=("Defence", "Diplomacy", "Trade"),
        bylines=(("maren-okafor", "reporter"),),
        colours=("charcoal", "storm grey"),
        hero_caption="About 180 merchant ships pass through the Orlen Strait on a typical day.",
        publish_in=timedelta(hours=-14),
    ),
    Story(
        slug="central-bank-holds-rates",
        section="business",
        kicker="Interest rates",
        headline="Central bank holds rates at 4.25% but signals a cut before summer",
        dek=(
            "Seven of the nine members of the monetary committee voted to leave borrowing costs "
            "unchanged, and the minutes hint that the next move will be down."
        ),
        body="""\
The central bank left its main interest rate at 4.25% on Thursday for the fifth meeting in a row,
but the governor said the committee was "increasingly confident" that inflation was heading back to
its target.

Seven members voted to hold. Two wanted a quarter-point cut, the first split vote since the bank
began raising rates.

# Reading the minutes

The minutes drop a phrase that had appeared in every statement for a year: that policy would need
to stay "restrictive for an extended period".[^phrase] Economists read its removal as the clearest
signal yet that a cut is coming.

| Measure | Latest | Three months ago |
|---|---:|---:|
| Headline inflation | 3.1% | 3.9% |
| Services inflation | 4.4% | 5.0% |
| Unemployment | 4.6% | 4.3% |

"They are not promising anything, but they have stopped arguing with the market," said one
fixed-income strategist.

Mortgage lenders are expected to trim their fixed-rate deals in the coming days; most had already
priced in a cut.

[^phrase]: The wording first appeared in the bank's statement after the last rate rise.
""",
        tags=("Central banks", "Economy"),
        bylines=(("priya-castellano", "reporter"),),
        colours=("slate", "lemon"),
        hero_caption="The monetary committee meets eight times a year.",
        publish_in=timedelta(hours=-20),
    ),
    Story(
        slug="outer-islands-ferry-resumes",
        section="world",
        kicker="Transport",
        headline="Ferry link to the outer islands resumes after storm repairs",
        dek=(
            "The Kessel Island pier reopened seven weeks after a winter storm tore away its landing "
            "ramp, ending a long spell of helicopter supply runs."
        ),
        body="""\
The first ferry in seven weeks tied up at Kessel Island on Saturday morning, bringing fresh food, a
replacement school bus and about two hundred islanders home.

The landing ramp at the island's only deep-water pier was torn away by a storm in January. Since
then the 1,900 residents have relied on a small passenger boat and helicopter flights for post and
medicine.

# Repairs, and what comes next

Engineers rebuilt the ramp on the old foundations as a temporary fix. A permanent pier, designed
for higher seas, is due to go out to tender in the spring.

The ferry operator says it will run an extra sailing each day for the first fortnight to clear the
backlog of freight, including several hundred tonnes of animal feed.

"We learned who our neighbours are," said the island's harbour master. "I would rather not have
learned it this way."
""",
        tags=("Transport", "Climate"),
        bylines=(("ilse-varga", "contributor"),),
        colours=("sea green", "ivory"),
        hero_caption="The crossing to Kessel Island takes two hours in good weather.",
        publish_in=timedelta(hours=-27),
    ),
    Story(
        slug="carrow-mayor-loses-after-recount",
        section="politics",
        kicker="Local elections",
        headline="Carrow's mayor loses by 412 votes after a two-day recount",
        dek=(
            "The independent candidate Elena Sorvik ends twelve years of Civic Alliance control of "
            "the town hall on a turnout of 41%."
        ),
        body="""\
Carrow's mayor of twelve years, Desmond Pike of the Civic Alliance, lost his seat by 412 votes on
Wednesday after a recount that ran into a second night.

The winner, Elena Sorvik, a former head teacher standing as an independent, campaigned almost
entirely on the closure of the town's two branch libraries and the state of its bus station.

# The result

| Candidate | Party | Votes | Share |
|---|---|---:|---:|
| Elena Sorvik | Independent | 9,874 | 44.1% |
| Desmond Pike | Civic Alliance | 9,462 | 42.3% |
| Hannah Oduya | Greens | 2,120 | 9.5% |
| Others | | 932 | 4.2% |

Turnout was 41%, up from 33% at the last election.

Pike asked for the recount after the first count put him 390 votes behind. He conceded shortly
after 1am, telling supporters that the town "has asked for a change and deserves one that works".

Sorvik said her first act would be to publish the council's contract for the bus station
redevelopment, which has so far been kept confidential.
""",
        tags=("Elections", "Local government"),
        bylines=(("tomas-lindqvist", "reporter"),),
        colours=("deep red", "rose"),
        hero_caption="Carrow has about 55,000 registered voters.",
        publish_in=timedelta(hours=-33),
    ),
    Story(
        slug="harbour-museum-reopens",
        section="culture",
        kicker="Museums",
        headline="Harbour Museum reopens after a four-year rebuild under a roof of salvaged oak",
        dek=(
            "The new galleries put the port's working history, from rope-making to container "
            "cranes, at the centre of a building that was once a customs shed."
        ),
        body="""\
The Harbour Museum in Port Halvard reopened on Saturday after a four-year rebuild, with a queue that
stretched along the quay before the doors opened at ten.

The building, a nineteenth-century customs shed, has a new roof made from oak beams salvaged from
two demolished warehouses on the same quay. The architects left the old bolt holes visible.

# Inside

The collection has been rearranged around work rather than ships. The first gallery belongs to the
rope-makers whose long sheds once lined the harbour; the last ends at the controls of a container
crane, given by the terminal operator.

Admission is free on Sundays. The museum expects 150,000 visitors in its first year, about twice as
many as before it closed.
""",
        tags=("Museums", "Architecture", "Labour"),
        bylines=(("ilse-varga", "contributor"),),
        colours=("olive", "wheat"),
        hero_caption="The museum's collection holds some 40,000 objects from the port's history.",
        publish_in=timedelta(hours=-40),
    ),
    Story(
        slug="offshore-wind-array-approved",
        section="business",
        kicker="Energy",
        headline="Consortium wins approval for a 60-turbine wind array off the Brennick coast",
        dek=(
            "Planners attached 31 conditions, including a seasonal halt to piling while harbour "
            "porpoises calve."
        ),
        body="""\
A consortium of two utilities and a pension fund has won planning consent for a 60-turbine wind
farm twenty kilometres off the Brennick coast, ending a four-year approval process.

The array would generate up to 900 megawatts, enough on the developers' figures to supply about
700,000 homes. Construction could begin in two years if the consortium wins a price in the next
government auction.

# The conditions

The consent comes with 31 conditions. The ones that matter most to the developers:

1. No pile driving between May and August, when harbour porpoises calve in the area.
2. An export cable route that avoids the oyster beds at the mouth of the estuary.
3. A yearly payment to the local fishing fleet for the life of the project.

Fishing organisations called the payment "a start". A spokesperson for the consortium said the
piling window would add "months, not years" to the build.
""",
        tags=("Energy", "Climate"),
        bylines=(("jonah-abernethy", "reporter"), ("priya-castellano", "additional")),
        colours=("teal", "sky blue"),
        hero_caption="The array would sit about twenty kilometres offshore.",
        publish_in=timedelta(hours=-44),
    ),
    Story(
        slug="weather-satellite-reaches-orbit",
        section="science",
        kicker="Space",
        headline="First locally built weather satellite reaches orbit",
        dek=(
            "The shoebox-sized Lark-1 will measure soil moisture for farmers and flood forecasters, "
            "if its solar panels unfold as planned on Friday."
        ),
        body="""\
A weather satellite designed and assembled at the university's engineering campus reached orbit on
Wednesday, riding as a secondary passenger on a commercial launch.

Lark-1 is about the size of a shoebox and weighs just under nine kilograms. Ground controllers
received its first signal 94 minutes after launch, on its first pass overhead.

# What it is for

The satellite carries a small microwave radiometer that measures how wet the top few centimetres of
soil are. The data will be shared free with farmers and with the national flood forecasting
service, which relies on ground sensors that are sparse in the hills.

The team's checklist for the coming weeks:

1. unfold the solar panels (Friday);
2. point the radiometer at the ground and calibrate it over the sea;
3. publish the first soil-moisture map, which the team hopes to do within a month.

"The launch is the part everyone watches," said the mission's lead engineer. "The part that keeps
me awake is the hinge on the solar panel."
""",
        tags=("Space", "Technology", "Agriculture"),
        bylines=(("jonah-abernethy", "reporter"),),
        colours=("navy", "plum"),
        hero_caption="Lark-1 orbits about 520 kilometres above the ground.",
        publish_in=timedelta(hours=-49),
    ),
    Story(
        slug="grain-cooperative-electric-harvesters",
        section="business",
        kicker="Farming",
        headline="Grain co-operative bets on electric harvesters after a year of diesel shocks",
        dek=(
            "The Aldmoor growers' co-operative is buying four battery machines and a solar-roofed "
            "charging barn, paid for partly with a drought-relief loan."
        ),
        body="""\
A growers' co-operative in the Aldmoor valley has ordered four battery-electric combine harvesters,
the first on a commercial farm in the region.

The co-operative's 140 member farms share machinery rather than owning it. Diesel was their
second-largest cost last year after seed, said its chair, Ruth Hallam, who grows barley and field
beans.

"We spent the harvest watching the fuel price instead of the weather," she said. "At least the sun
doesn't send us an invoice."

# The arithmetic

Each machine costs about 40% more than a diesel equivalent. The co-operative expects to recover the
difference in six to eight seasons, depending on the price of power and how many hours the machines
run. The charging barn, roofed with solar panels, will dry grain outside harvest time.

Part of the purchase is paid for by a low-interest loan from the drought-relief scheme set up last
year, which the co-operative argues was meant for exactly this kind of resilience.
""",
        tags=("Agriculture", "Energy", "Technology"),
        bylines=(("jonah-abernethy", "reporter"),),
        colours=("moss green", "wheat"),
        hero_caption="The Aldmoor valley grows about a tenth of the country's barley.",
        publish_in=timedelta(hours=-58),
    ),
    Story(
        slug="intelligence-oversight-bill-first-reading",
        section="politics",
        kicker="Security",
        headline="Bill to put the intelligence agencies under a new watchdog clears first reading",
        dek=(
            "The proposed commissioner could inspect surveillance warrants after the fact but not "
            "block them, a limit critics say leaves the bill without teeth."
        ),
        body="""\
A bill that would create an independent commissioner to oversee the country's two intelligence
agencies passed its first reading on Thursday by 212 votes to 97.

Under the proposal, the commissioner would be a serving or retired judge appointed for a single
seven-year term. The office could inspect any surveillance warrant after it was issued and would
report to parliament once a year.

# What the commissioner could not do

The commissioner would have no power to stop a warrant before it is carried out. Civil liberties
groups say that makes the office an auditor rather than a safeguard. The government argues that
prior approval would be too slow for urgent cases and that the courts already review the most
intrusive warrants.

Several members of the governing coalition said they would table amendments at committee stage:

- a duty on the agencies to report any error to the commissioner within fourteen days;
- publication of the total number of warrants each year;
- a right for people who believe they were wrongly watched to complain directly.

The bill now goes to the justice committee, which has until the summer recess to report.
""",
        tags=("Defence", "Government", "Technology"),
        bylines=(("maren-okafor", "reporter"),),
        colours=("charcoal", "plum"),
        hero_caption="The bill is the first attempt at statutory oversight in two decades.",
        publish_in=timedelta(hours=-70),
    ),
    Story(
        slug="shorter-antibiotic-course-children-trial",
        section="science",
        kicker="Health",
        headline="Shorter antibiotic course works as well for children's chest infections",
        dek=(
            "Five days of amoxicillin were as effective as ten in a trial of 1,400 children, with "
            "fewer side effects, researchers report."
        ),
        body="""\
Children treated for pneumonia caught in the community recovered just as well after five days of
antibiotics as after ten, according to a trial run across eleven hospitals and published on
Monday.[^funding]

The 1,400 children in the trial were split into two groups at random. After a month, 89% of the
five-day group and 88% of the ten-day group had fully recovered, a difference the researchers say
is within the play of chance.

# Why it matters

Every unnecessary day of antibiotics gives bacteria another chance to develop resistance. Children
in the shorter group also had fewer bouts of diarrhoea and rash, and parents found the course
easier to finish.

The researchers cautioned that the trial left out children with underlying lung conditions and
those sick enough to need treatment through a drip.

The health ministry's prescribing committee said it would review its guidance at its next meeting.

[^funding]: The trial was funded by the national health research council. None of the authors
    reported payments from drug makers.
""",
        tags=("Health", "Research"),
        bylines=(("jonah-abernethy", "reporter"),),
        colours=("sea green", "lemon"),
        hero_caption="The trial ran in eleven children's wards over two winters.",
        publish_in=timedelta(hours=-81),
    ),
    Story(
        slug="orchestra-tour-cancelled-customs",
        section="culture",
        kicker="Music",
        headline="Orchestra cancels tour after its instruments are held at customs",
        dek=(
            "Three double basses, a harp and a set of timpani spent nine days in a bonded warehouse "
            "over paperwork for rosewood fittings."
        ),
        body="""\
The National Chamber Orchestra has cancelled the last four concerts of its spring tour after
customs officers held a container of its instruments at the border for nine days.

The problem was paperwork. Several of the instruments have fittings made of rosewood, a timber
whose trade is restricted under an international convention, and the orchestra's permits listed
the wrong number of bows.

# "Nobody was smuggling anything"

The orchestra's managing director said the instruments had crossed the same border every year for
a decade. "Nobody was smuggling anything. A number on a form was wrong, and we had no way of fixing
it from the wrong side of the border."

Ticket holders will be refunded automatically. The orchestra says it will ask the trade ministry
for a fast-track process for touring musicians.
""",
        tags=("Music", "Trade"),
        bylines=(("ilse-varga", "contributor"), ("priya-castellano", "additional")),
        colours=("plum", "rose"),
        hero_caption="The orchestra tours abroad every spring.",
        publish_in=timedelta(hours=-95),
    ),
    # Not yet public: scheduled, draft and in review.
    Story(
        slug="budget-day-five-questions",
        section="business",
        kicker="Budget",
        headline="Budget day: five questions for the finance minister",
        dek=(
            "Fuel duty, the rail reserve and the drought fund are among the decisions that will "
            "shape the spring budget."
        ),
        body="""\
The finance minister presents the spring budget to parliament at noon. These are the questions we
will be watching.

1. **Fuel duty.** The temporary cut expires this month. Extending it would cost about 900 million
   crowns a year.
2. **The rail reserve.** After the fare freeze, will the budget top up the fund the operators say
   is being drained?
3. **Drought relief.** The farm loan scheme is almost fully lent out.
4. **Defence.** The coalition partners disagree over a promised rise in spending.
5. **The deficit.** The fiscal council will publish its verdict within the hour.
""",
        tags=("Economy", "Government", "Energy"),
        bylines=(("priya-castellano", "reporter"),),
        colours=("slate", "signal orange"),
        hero_caption="The budget statement usually runs for about an hour.",
        publish_in=timedelta(days=3),
    ),
    Story(
        slug="water-board-emergency-plan",
        section="science",
        kicker="Water",
        headline="Inside the water board's emergency plan for a fourth dry summer",
        dek="Hosepipe bans, low pressure at night and standpipes: what a planning document sets out.",
        body="""\
A planning document prepared for the water board sets out three stages of restrictions if the
reservoirs serving the capital fall below 30% by midsummer.

# The three stages

- **Stage one:** a ban on hosepipes and on filling private swimming pools.
- **Stage two:** reduced pressure across the network at night.
- **Stage three:** standpipes in the streets of the worst-affected districts.

The board has not said whether the document reflects current policy. We have asked for comment.
""",
        tags=("Water", "Climate"),
        bylines=(("jonah-abernethy", "reporter"),),
        colours=("teal", "sand"),
        hero_caption="The capital's reservoirs were last this low twelve years ago.",
        status="draft",
    ),
    Story(
        slug="libraries-sunday-opening",
        section="culture",
        kicker="Libraries",
        headline="City libraries to open on Sundays from the autumn",
        dek=(
            "Six branches will open from noon to five, paid for by closing the central library's "
            "reference floor on Monday mornings."
        ),
        body="""\
Six of the city's branch libraries will open on Sundays from September, the council's culture
committee has agreed, reversing a cut made nine years ago.

The branches will open from noon until five. The cost, about 400,000 crowns a year, will be met by
closing the reference floor of the central library on Monday mornings, when it is least used.

Library staff said they had been consulted and that Sunday shifts would be voluntary for existing
employees.
""",
        tags=("Local government", "Books"),
        bylines=(("jonah-abernethy", "reporter"),),
        colours=("coral", "ivory"),
        hero_caption="The city runs fourteen branch libraries.",
        status="in_review",
    ),
]

TEASERS = [
    TeaserData(
        on="port-halvard-dockworkers-walk-out",
        position=0,
        target="central-bank-holds-rates",
        headline="Why the rate decision matters to importers",
        excerpt="Cheaper borrowing could ease the financing costs squeezing the port's customers.",
    ),
    TeaserData(
        on="port-halvard-dockworkers-walk-out", position=1, target="outer-islands-ferry-resumes"
    ),
    TeaserData(
        on="port-halvard-dockworkers-walk-out",
        position=2,
        url="https://ports.example/halvard/berth-schedule",
        headline="Port Halvard berth schedule",
        excerpt="The port authority's list of ships at anchor and their expected berthing times.",
    ),
    TeaserData(
        on="vessany-basin-drought-third-year", position=0, target="offshore-wind-array-approved"
    ),
    TeaserData(
        on="vessany-basin-drought-third-year",
        position=1,
        target="weather-satellite-reaches-orbit",
        ends_in=timedelta(days=10),
    ),
    # Hidden until the budget preview goes live: a teaser never leads to a story readers cannot open.
    TeaserData(
        on="vessany-basin-drought-third-year", position=2, target="budget-day-five-questions"
    ),
    TeaserData(
        on="central-bank-holds-rates", position=0, target="port-halvard-dockworkers-walk-out"
    ),
    TeaserData(
        on="central-bank-holds-rates", position=1, target="grain-cooperative-electric-harvesters"
    ),
    TeaserData(
        on="carrow-mayor-loses-after-recount", position=0, target="rail-fare-freeze-minister-post"
    ),
    TeaserData(
        on="carrow-mayor-loses-after-recount",
        position=1,
        target="intelligence-oversight-bill-first-reading",
    ),
    TeaserData(on="harbour-museum-reopens", position=0, target="port-halvard-dockworkers-walk-out"),
    TeaserData(on="harbour-museum-reopens", position=1, target="orchestra-tour-cancelled-customs"),
]

CORRECTIONS = [
    CorrectionData(
        on="carrow-mayor-loses-after-recount",
        kind="correction",
        text="An earlier version of this story gave the margin of victory as 421 votes. It was 412.",
        after_publication=timedelta(hours=4),
    ),
]


def draw_hero(seed, colours, size=None):
    """An abstract JPEG: a gradient at a random angle under translucent circles and bands."""
    size = size or HERO_SIZE
    rng = random.Random(seed)  # the same story always gets the same picture
    start, end = (ImageColor.getrgb(PALETTE[name]) for name in colours)
    # Rotate a small ramp and cut out its centre, which is free of the corners rotation adds.
    ramp = Image.linear_gradient("L").rotate(
        rng.uniform(0, 360), resample=Image.Resampling.BICUBIC, expand=True
    )
    cx, cy = ramp.width // 2, ramp.height // 2
    ramp = ramp.crop((cx - 90, cy - 90, cx + 90, cy + 90)).resize(size, Image.Resampling.BICUBIC)
    picture = ImageOps.colorize(ramp, black=start, white=end)
    draw = ImageDraw.Draw(picture, "RGBA")  # RGBA drawing on an RGB picture blends the fills
    width, height = size
    for index in range(rng.randint(5, 8)):
        fill = rng.choice([start, end, (255, 255, 255)]) + (rng.randint(40, 110),)
        if index % 2 == 0:  # alternate, so the alt text's "circles and bands" is always true
            radius = rng.randint(height // 8, height // 2)
            x, y = rng.randint(0, width), rng.randint(0, height)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
        else:
            left = rng.randint(-width // 4, width)
            band = rng.randint(width // 20, width // 6)
            slant = rng.randint(-height // 2, height // 2)
            corners = [
                (left, 0),
                (left + band, 0),
                (left + band + slant, height),
                (left + slant, height),
            ]
            draw.polygon(corners, fill=fill)
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=85, progressive=True)
    return buffer.getvalue()


def draw_portrait(initials, colour, size=PORTRAIT_SIZE):
    """A square PNG with the person's initials, standing in for a photograph."""
    picture = Image.new("RGB", (size, size), ImageColor.getrgb(colour))
    font = ImageFont.load_default(size=size * 2 // 5)
    ImageDraw.Draw(picture).text(
        (size / 2, size / 2), initials, fill="white", font=font, anchor="mm"
    )
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()
