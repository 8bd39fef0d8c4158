"""The configuration is documented: every variable settings.py reads is in .env.example and the README."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def variables_read_by_settings() -> set[str]:
    return set(READ.findall((ROOT / "ebookit_support" / "settings.py").read_text()))


def test_every_variable_is_in_env_example():
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert variables_read_by_settings() - documented == set()


def test_every_variable_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in variables_read_by_settings()
               if name not in readme and not name.startswith("ANYMAIL_")}
    assert missing == set()


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ebookit_support.settings'; "
                               "django.setup()"],
        cwd=ROOT, env={"DJANGO_DEBUG": "0", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
