"""Replace the vendored Kemendagri region codes with a newer idn-area-data release."""

import base64
import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs import regions
from programs.models import Program

REGISTRY = "https://registry.npmjs.org/idn-area-data/"
WANTED = {f"package/data/{name}": name for name in (*regions.FILES, "LICENSE.md")}
MAX_FILE = 50 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Download idn-area-data from the npm registry (or read a tarball), check its "
        "integrity, and replace the region CSV files, the licence and VERSION."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--package-version",
            dest="version",
            default="latest",
            help="e.g. 4.0.1 (default: latest)",
        )
        parser.add_argument("--tarball", type=Path, help="a .tgz made by `npm pack idn-area-data`")
        parser.add_argument("--into", type=Path, default=regions.DATA_DIR, help="target folder")

    def handle(self, *args, version, tarball, into, **options):
        if tarball:
            content = tarball.read_bytes()
            if version == "latest":
                raise CommandError("Give --package-version with --tarball.")
        else:
            version, content = self._download(version)
        files = self._extract(content)
        into.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (into / name).write_bytes(data)
        (into / "VERSION").write_text(f"{version}\n")
        self.stdout.write(f"idn-area-data {version} written to {into}.")
        if into.resolve() == regions.DATA_DIR.resolve():
            self._report_unknown_codes()

    def _download(self, version):
        with urllib.request.urlopen(REGISTRY + version, timeout=30) as response:  # noqa: S310
            meta = json.load(response)
        dist = meta["dist"]
        with urllib.request.urlopen(dist["tarball"], timeout=120) as response:  # noqa: S310
            content = response.read()
        algorithm, _sep, expected = dist["integrity"].partition("-")
        if algorithm != "sha512":
            raise CommandError(f"Unexpected integrity {dist['integrity']!r}")
        actual = base64.b64encode(hashlib.sha512(content).digest()).decode()
        if actual != expected:
            raise CommandError("The tarball does not match the registry's integrity hash.")
        return meta["version"], content

    def _extract(self, content):
        files = {}
        with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as tar:
            for member in tar.getmembers():
                name = WANTED.get(member.name)
                if name is None:
                    continue
                if not member.isfile() or member.size > MAX_FILE:
                    raise CommandError(f"{member.name} is not a plain file of sensible size.")
                files[name] = tar.extractfile(member).read()
        missing = sorted(set(WANTED.values()) - set(files))
        if missing:
            raise CommandError(f"The package lacks {', '.join(missing)}.")
        return files

    def _report_unknown_codes(self):
        for cached in (regions._upper, regions._villages_text, regions.villages_of):
            cached.cache_clear()
        unknown = [
            program
            for program in Program.objects.exclude(village_code="").order_by("slug")
            if not regions.path(program.village_code)
        ]
        for program in unknown:
            self.stdout.write(f"Unknown in the new data: {program.slug} ({program.village_code})")
        if not unknown:
            self.stdout.write("Every program's village code is still known.")
