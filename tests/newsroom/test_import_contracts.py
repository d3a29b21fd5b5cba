"""The layer contracts of pyproject.toml hold for the code, and break on a forbidden import.

Each check runs ``lint-imports`` (what ``make lint`` runs) with the project's own contracts on a
copy of the project's packages, once as they are and once with one forbidden import added.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("newsroom", "content", "articles", "authors", "fronts", "wordpress", "bench")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture
def project_copy(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc", "results")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def lint_imports(where):
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def add_import(module, line):
    with module.open("a") as source:
        source.write(f"\n{line}\n")


def test_the_project_keeps_its_contracts(project_copy):
    result = lint_imports(project_copy)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_the_project_package_importing_an_app_breaks_a_contract(project_copy):
    add_import(project_copy / "newsroom" / "pagecache.py", "from articles.models import Article")
    result = lint_imports(project_copy)
    assert result.returncode == 1
    assert "newsroom is not allowed to import articles" in result.stdout
    assert "newsroom.pagecache -> articles.models" in result.stdout


def test_a_model_importing_the_admin_breaks_the_layers(project_copy):
    add_import(project_copy / "articles" / "models" / "article.py", "from articles import admin")
    result = lint_imports(project_copy)
    assert result.returncode == 1
    assert "articles.models.article -> articles.admin" in result.stdout


def test_a_view_importing_the_fast_path_breaks_its_fence(project_copy):
    add_import(project_copy / "articles" / "views.py", "from articles.fastpath import story")
    result = lint_imports(project_copy)
    assert result.returncode == 1
    assert "Illegal imports of protected package articles.fastpath" in result.stdout
    assert "articles.views -> articles.fastpath.story" in result.stdout


def test_the_models_importing_the_story_page_break_the_layers(project_copy):
    add_import(
        project_copy / "articles" / "models" / "teaser.py", "from articles import story_page"
    )
    result = lint_imports(project_copy)
    assert result.returncode == 1
    assert "articles.models.teaser -> articles.story_page" in result.stdout


def test_an_app_importing_the_wordpress_import_breaks_a_contract(project_copy):
    add_import(project_copy / "articles" / "views.py", "from wordpress import models")
    result = lint_imports(project_copy)
    assert result.returncode == 1
    assert "articles is not allowed to import wordpress" in result.stdout
    assert "articles.views -> wordpress.models" in result.stdout


def test_articles_importing_the_fronts_breaks_a_contract(project_copy):
    add_import(
        project_copy / "articles" / "management" / "commands" / "load_demo.py",
        "from fronts import demo",
    )
    result = lint_imports(project_copy)
    assert result.returncode == 1
    assert "articles is not allowed to import fronts" in result.stdout
    assert "articles.management.commands.load_demo -> fronts.demo" in result.stdout
