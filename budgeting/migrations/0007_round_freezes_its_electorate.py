"""A budget round freezes who votes in it, and every ballot tells its voter.

Insider review 2026-12-05 (docs/reviews/2026-12-05-budget.md):
- F7: moving an area in the admin mid-vote widened or narrowed a voting round's electorate. The
  round now stores, at freezing, the ids of its area and of every area inside it
  (`Round.electorate_area_ids`, JSON: SQLite too), and asks them from then on.
- F8: changing the `budget_vote` verification requirement mid-vote changed who may vote. The
  round now stores the requirement at freezing (`Round.vote_requirement`).
  Both are frozen fields (`round_frozen_rules_stay`), and a frozen round has both
  (`round_frozen_has_electorate`). Rounds frozen before this migration get the areas and the
  requirement of the moment it runs: the best that can be known now.
- F5: a ballot written by SQL, or by an officer, told nobody. A ballot now writes its "you
  voted" notice in its own transaction (`budget_ballot_tells_the_voter`, into `BallotNotice`),
  and PostgreSQL refuses a ballot of someone without a verification in force in one of the
  round's frozen areas, by a method its frozen requirement takes
  (`budget_ballot_voter_in_the_electorate`).
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

BUDGET_VOTE = "budget_vote"


def freeze_the_electorate_of_frozen_rounds(apps, schema_editor):
    """The rounds frozen already: their areas and requirement as they are now (the tree walk of
    `governance.selectors.area_with_descendants`, on the historical models)."""
    Round = apps.get_model("budgeting", "Round")
    Area = apps.get_model("accounts", "Area")
    Requirement = apps.get_model("accounts", "VerificationRequirement")
    if schema_editor.connection.vendor == "postgresql":
        # Checked now, not at commit: a deferred check pending on the table would stop the
        # ALTER TABLEs below in this transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    rule = Requirement.objects.filter(action=BUDGET_VOTE).first()
    requirement = {
        "account_is_enough": bool(rule and rule.account_is_enough),
        "methods": sorted(
            method
            for method, yes in (
                ("in_person", rule.in_person if rule else True),
                ("code", rule.code if rule else True),
                ("digid", rule.digid if rule else True),
            )
            if yes
        ),
        "valid_days": rule.valid_days if rule else None,
    }
    children = {}
    for pk, parent_id in Area.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    for round in Round.objects.filter(frozen_at__isnull=False, electorate_area_ids__isnull=True):
        found, todo = set(), [round.area_id]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.add(pk)
                todo.extend(children.get(pk, []))
        Round.objects.filter(pk=round.pk).update(
            electorate_area_ids=sorted(found), vote_requirement=requirement
        )


class Migration(migrations.Migration):

    dependencies = [
        ('budgeting', '0006_rounds_move_forward'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalround',
            name='electorate_area_ids',
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name='areas of the voters'),
        ),
        migrations.AddField(
            model_name='historicalround',
            name='vote_requirement',
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name='verification asked to vote'),
        ),
        migrations.AddField(
            model_name='round',
            name='electorate_area_ids',
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name='areas of the voters'),
        ),
        migrations.AddField(
            model_name='round',
            name='vote_requirement',
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name='verification asked to vote'),
        ),
        migrations.CreateModel(
            name='BallotNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('moment', models.DateTimeField(verbose_name='moment')),
                ('ballot', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='budgeting.ballot', verbose_name='ballot')),
            ],
            options={
                'verbose_name': 'ballot notice',
                'verbose_name_plural': 'ballot notices',
                'ordering': ['id'],
            },
        ),
        migrations.RunPython(freeze_the_electorate_of_frozen_rounds, migrations.RunPython.noop),
        pgtrigger.migrations.RemoveTrigger(
            model_name='round',
            name='round_frozen_rules_stay',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='round',
            trigger=pgtrigger.compiler.Trigger(name='round_frozen_rules_stay', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."frozen_at" IS NOT NULL AND (NEW."status" IN (\'draft\', \'ideas\', \'review\') OR OLD."frozen_at" IS DISTINCT FROM (NEW."frozen_at") OR OLD."voting_opens_at" IS DISTINCT FROM (NEW."voting_opens_at") OR OLD."voting_closes_at" IS DISTINCT FROM (NEW."voting_closes_at") OR OLD."fund_id" IS DISTINCT FROM (NEW."fund_id") OR OLD."area_id" IS DISTINCT FROM (NEW."area_id") OR OLD."budget" IS DISTINCT FROM (NEW."budget") OR OLD."min_plans" IS DISTINCT FROM (NEW."min_plans") OR OLD."ballot_rule" IS DISTINCT FROM (NEW."ballot_rule") OR OLD."tie_break" IS DISTINCT FROM (NEW."tie_break") OR OLD."min_vote_percent" IS DISTINCT FROM (NEW."min_vote_percent") OR OLD."electorate_area_ids" IS DISTINCT FROM (NEW."electorate_area_ids") OR OLD."vote_requirement" IS DISTINCT FROM (NEW."vote_requirement")))', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='347b3354aa7b438a7e2ecbcc60acace28e3f5c27', operation='UPDATE', pgid='pgtrigger_round_frozen_rules_stay_eae10', table='budgeting_round', when='BEFORE')),
        ),
        migrations.AddConstraint(
            model_name='round',
            constraint=models.CheckConstraint(condition=models.Q(('frozen_at__isnull', True), models.Q(('electorate_area_ids__isnull', False), ('vote_requirement__isnull', False)), _connector='OR'), name='round_frozen_has_electorate'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='ballot',
            trigger=pgtrigger.compiler.Trigger(name='budget_ballot_voter_in_the_electorate', sql=pgtrigger.compiler.UpsertTriggerSql(func="\nIF NOT EXISTS (\n    SELECT 1 FROM budgeting_round r\n    JOIN accounts_memberverification v ON v.user_id = NEW.voter_id AND v.revoked_at IS NULL\n    WHERE r.id = NEW.round_id AND r.electorate_area_ids @> to_jsonb(v.area_id)\n      AND ((r.vote_requirement -> 'account_is_enough') = 'true'::jsonb\n           OR r.vote_requirement -> 'methods' @> to_jsonb(v.method::text))\n) THEN\n    RAISE EXCEPTION 'budgeting: only a verified resident of the round''s areas casts a ballot';\nEND IF;\nRETURN NEW;\n", hash='030915cf031fefb1dc3cfd1cfeb4a72ca5138211', operation='INSERT', pgid='pgtrigger_budget_ballot_voter_in_the_electorate_5e428', table='budgeting_ballot', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='ballot',
            trigger=pgtrigger.compiler.Trigger(name='budget_ballot_tells_the_voter', sql=pgtrigger.compiler.UpsertTriggerSql(func='\nINSERT INTO budgeting_ballotnotice (ballot_id, moment) VALUES (NEW.id, statement_timestamp());\nRETURN NULL;\n', hash='bf7ff616384d8ea19d5f024de5d53b4a26b8c6cc', operation='INSERT', pgid='pgtrigger_budget_ballot_tells_the_voter_c90bf', table='budgeting_ballot', when='AFTER')),
        ),
    ]
