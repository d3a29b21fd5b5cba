"""bench/binding.py: each variant's switches, and the table of its runs."""

from bench import binding


def test_each_variant_sets_only_its_own_switches(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_STORY_FAST_PATH", "0")  # whatever the caller had, dropped
    switches = ("NEWSROOM_PREPARED_STATEMENTS", "NEWSROOM_STORY_FAST_PATH")

    def set_by(variant):
        env = binding.environment("postgres://db", variant, tmp_path)
        assert env["NEWSROOM_PAGE_CACHE"] == "0" and env["DATABASE_URL"] == "postgres://db"
        return {name: env.get(name) for name in switches}

    assert set_by("ours") == dict.fromkeys(switches)  # the settings' defaults
    for variant in ("django", "django-auto", "client"):
        assert set_by(variant)["NEWSROOM_PREPARED_STATEMENTS"] == "0"
    assert set_by("plain")["NEWSROOM_STORY_FAST_PATH"] == "0"


def test_the_table_gives_the_median_and_range_of_the_runs():
    def run(cpu):
        return {"story": {"cpu_ms": cpu, "sql_ms": 1.0}, "prepared_statements": 4}

    runs = [("ours", run(4.0)), ("django", run(5.0)), ("ours", run(6.0)), ("ours", run(5.0))]
    table = binding.summary(runs).splitlines()
    story = next(line for line in table if line.startswith("story"))
    assert "5.00 (4.00-6.00)" in story and "5.00 (5.00-5.00)" in story
    assert story.index("4.00-6.00") < story.index("5.00-5.00")  # ours first, as run first
