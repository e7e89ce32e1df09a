"""The hand-built wheel: what pip needs to install it, the same bytes every time."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile

from grader import wheel


def tiny(tmp_path):
    package = tmp_path / "tinypkg"
    (package / "data").mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("def main():\n    print('tiny ran')\n")
    (package / "data" / "table.toml").write_text("x = 1\n")
    return package


def build(tmp_path, out):
    return wheel.build(tiny(tmp_path), tmp_path / out, "tiny-pkg", "1.2", "A tiny package",
                       ["nothing-needed>=1"], {"tiny": "tinypkg:main"})


def test_every_file_is_in_the_record_with_its_hash(tmp_path):
    path = build(tmp_path, "dist")
    assert path.name == "tiny_pkg-1.2-py3-none-any.whl"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        record = archive.read("tiny_pkg-1.2.dist-info/RECORD").decode().splitlines()
        rows = {line.split(",")[0]: line.split(",")[1:] for line in record}
        assert set(rows) == set(names)
        for name in names:
            if name.endswith("RECORD"):
                assert rows[name] == ["", ""]
                continue
            data = archive.read(name)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert rows[name] == [f"sha256={digest.decode()}", str(len(data))]
        metadata = archive.read("tiny_pkg-1.2.dist-info/METADATA").decode()
    assert "Name: tiny-pkg\nVersion: 1.2\n" in metadata
    assert "Requires-Dist: nothing-needed>=1\n" in metadata
    assert names[-1] == "tiny_pkg-1.2.dist-info/RECORD"


def test_the_same_package_makes_the_same_bytes(tmp_path):
    first = build(tmp_path, "one").read_bytes()
    assert build(tmp_path, "two").read_bytes() == first


def test_pip_installs_it_with_its_command(tmp_path):
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(build(tmp_path, "dist"))],
                   check=True, capture_output=True, timeout=300)
    assert (target / "tinypkg" / "data" / "table.toml").read_text() == "x = 1\n"
    script = (target / "bin" / "tiny").read_text()
    assert "from tinypkg import main" in script
