"""Further steps of ``manage.py load_demo`` that other apps register (from their
``AppConfig.ready()``): the fronts app curates the demo's home front and runs a banner. This app
knows nothing of them; the command runs each step in its transaction, after the stories.

A step is called as ``step(now=..., stories=...)``, ``stories`` the demo's stories by slug, and
returns a line for the command to print, or None. Like the rest of the command, a step must
change nothing when run again.
"""

_steps = {}


def register(name, step):
    _steps[name] = step


def unregister(name):
    _steps.pop(name, None)


def steps():
    return list(_steps.values())
