"""A wheel of the student release, built here without a build backend or the network.

A wheel is a zip of the package and a `.dist-info` folder (PEP 427, and the packaging
specifications it points to): METADATA names the project and its dependencies, WHEEL the
format, entry_points.txt the `grade` command, RECORD every file's hash. Written by hand it
needs nothing the kit does not have, and it is the same bytes on every machine: entries in
sorted order, each dated 1980-01-01.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Sequence
from pathlib import Path

STAMP = (1980, 1, 1, 0, 0, 0)
WHEEL = "Wheel-Version: 1.0\nGenerator: neuron-kit\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def filename(project: str, version: str) -> str:
    return f"{project.replace('-', '_')}-{version}-py3-none-any.whl"


def build(package: Path, out: Path, project: str, version: str, summary: str,
          dependencies: Sequence[str], scripts: dict[str, str]) -> Path:
    """Write the wheel of the package folder `package` into the folder `out`."""
    info = f"{project.replace('-', '_')}-{version}.dist-info"
    metadata = "".join([
        "Metadata-Version: 2.1\n", f"Name: {project}\n", f"Version: {version}\n",
        f"Summary: {summary}\n", "Requires-Python: >=3.10\n",
        *(f"Requires-Dist: {dependency}\n" for dependency in dependencies)])
    entry_points = "[console_scripts]\n" + "".join(
        f"{name} = {target}\n" for name, target in scripts.items())
    files = {f"{package.name}/{path.relative_to(package).as_posix()}": path.read_bytes()
             for path in sorted(package.rglob("*")) if path.is_file()}
    files |= {f"{info}/METADATA": metadata.encode(), f"{info}/WHEEL": WHEEL.encode(),
              f"{info}/entry_points.txt": entry_points.encode()}
    record = "".join(f"{name},sha256={digest(data)},{len(data)}\n"
                     for name, data in sorted(files.items()))
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    out.mkdir(parents=True, exist_ok=True)
    target = out / filename(project, version)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        # The package, then its .dist-info, RECORD last (as wheel builders write them).
        for name in sorted(files, key=lambda n: (n.startswith(info), n.endswith("/RECORD"), n)):
            entry = zipfile.ZipInfo(name, STAMP)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, files[name])
    return target


def digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
