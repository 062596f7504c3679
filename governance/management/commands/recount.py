"""Recount a poll from its public bulletin: from the database, or from a downloaded JSON file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance import selectors
from governance.bulletin import recount
from governance.models import Proposal


class Command(BaseCommand):
    help = "Recount a counted poll's bulletin (by proposal id, or --file with the JSON download)."

    def add_arguments(self, parser):
        parser.add_argument("proposal", nargs="?", type=int, help="the proposal's id")
        parser.add_argument("--file", help="a bulletin downloaded as JSON (stembiljetten-N.json)")

    def handle(self, *args, **options):
        if options["file"]:
            data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        elif options["proposal"]:
            proposal = Proposal.objects.filter(pk=options["proposal"]).first()
            if proposal is None or not (proposal.is_poll and proposal.is_decided):
                raise CommandError("no counted poll with this id")
            data = selectors.bulletin(proposal)
        else:
            raise CommandError("give a proposal id or --file")
        result = recount(data)
        self.stdout.write(f"codes: {result.codes}  participations: {result.participations}")
        self.stdout.write(f"roll: {data['roll_size']}  sha256: {data['roll_sha256']}")
        if data.get("key_sha256"):  # absent in files downloaded before it was published
            self.stdout.write(f"key sha256: {data['key_sha256']}")
        if result.result is None:
            self.stdout.write("choices not published: only the codes were counted")
        else:
            r = result.result
            self.stdout.write(
                f"voor: {r.voor}  tegen: {r.tegen}  onthouding: {r.onthouding}  "
                f"outcome: {r.outcome}"
            )
            self.stdout.write(
                "same as the decision" if result.matches_decision else "DIFFERENT FROM THE DECISION"
            )
        if not result.codes_match_participations or result.matches_decision is False:
            raise CommandError("the recount does not match")
