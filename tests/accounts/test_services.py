from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from freezegun import freeze_time

from accounts import services
from accounts.models import MemberVerification, Role, User, VerificationCode

from .factories import AreaFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestVerificationByCivilServant:
    def test_records_who_when_and_area_and_grants_the_role(self, resident, area, civil_servant):
        # when
        with freeze_time("2026-03-01 10:00:00+01:00"):
            verification = services.verify_member(
                user=resident, area=area, actor=civil_servant, note="Bekend van het buurthuis"
            )
        # then
        verification.refresh_from_db()
        assert verification.verified_by == civil_servant
        assert verification.area == area
        assert verification.method == MemberVerification.Method.IN_PERSON
        assert verification.verified_at.isoformat() == "2026-03-01T09:00:00+00:00"
        assert verification.note == "Bekend van het buurthuis"
        assert User.objects.get(pk=resident.pk).roles == [Role.COMMUNITY_MEMBER]

    def test_is_kept_in_the_audit_history(self, resident, area, civil_servant):
        verification = services.verify_member(user=resident, area=area, actor=civil_servant)
        assert verification.history.count() == 1

    @pytest.mark.parametrize(
        "role", [None, Role.COMMUNITY_MEMBER, Role.ADVISORY_MEMBER, Role.ADMINISTRATOR]
    )
    def test_only_civil_servants_may_verify(self, resident, area, role):
        actor = UserFactory(username="someone", roles=[role] if role else [])
        with pytest.raises(ValidationError, match="Alleen een ambtenaar"):
            services.verify_member(user=resident, area=area, actor=actor)
        assert not MemberVerification.objects.exists()
        assert Role.COMMUNITY_MEMBER not in User.objects.get(pk=resident.pk).roles

    def test_an_administrator_who_made_an_account_does_not_make_it_a_voter(
        self, client, area, administrator
    ):
        """Security review 2026-12-06, S2: an administrator makes accounts in the admin; that
        one person also made it a voter. Making voters is a civil servant's (DESIGN.md)."""
        client.force_login(administrator)
        made = client.post(
            "/beheer/accounts/user/add/",
            {"username": "sokpop1", "password1": "Sokpop-wachtwoord-91", "password2":
             "Sokpop-wachtwoord-91", "usable_password": "true"},
        )  # fmt: skip
        assert made.status_code == 302
        sokpop = User.objects.get(username="sokpop1")
        response = client.post(
            f"/accounts/leden/{sokpop.pk}/verifieren/", {"area": area.pk, "note": "Ken ik"}
        )
        assert response.status_code == 403
        with pytest.raises(ValidationError, match="Alleen een ambtenaar"):
            services.verify_member(user=sokpop, area=area, actor=administrator)
        assert not MemberVerification.objects.exists()
        assert not User.objects.get(pk=sokpop.pk).has_role(Role.COMMUNITY_MEMBER)

    def test_a_civil_servant_cannot_verify_themselves(self, civil_servant, area):
        with pytest.raises(ValidationError, match="uzelf"):
            services.verify_member(user=civil_servant, area=area, actor=civil_servant)

    def test_verifying_twice_for_the_same_area_is_refused(self, resident, area, civil_servant):
        services.verify_member(user=resident, area=area, actor=civil_servant)
        with pytest.raises(ValidationError, match="al geverifieerd"):
            services.verify_member(user=resident, area=area, actor=civil_servant)
        assert MemberVerification.objects.count() == 1

    def test_verifying_for_another_area_revokes_the_old_one(self, resident, area, civil_servant):
        first = services.verify_member(user=resident, area=area, actor=civil_servant)
        other = AreaFactory(name="Gaasperdam", slug="gaasperdam")
        second = services.verify_member(user=resident, area=other, actor=civil_servant)
        first.refresh_from_db()
        assert first.revoked_at is not None and first.revoked_by == civil_servant
        assert second.is_active
        assert (
            MemberVerification.objects.filter(user=resident, revoked_at__isnull=True).count() == 1
        )

    def test_database_allows_one_active_verification_per_user(self, resident, area, civil_servant):
        services.verify_member(user=resident, area=area, actor=civil_servant)
        with pytest.raises(IntegrityError), transaction.atomic():
            MemberVerification.objects.create(
                user=resident, area=area, method="in_person", verified_by=civil_servant
            )

    def test_revoking_removes_the_role(self, resident, area, civil_servant):
        verification = services.verify_member(user=resident, area=area, actor=civil_servant)
        services.revoke_verification(
            verification=verification, actor=civil_servant, reason="Verhuisd"
        )
        assert User.objects.get(pk=resident.pk).roles == []
        verification.refresh_from_db()
        assert verification.revoke_reason == "Verhuisd"

    def test_revoking_needs_a_reason(self, resident, area, civil_servant):
        verification = services.verify_member(user=resident, area=area, actor=civil_servant)
        with pytest.raises(ValidationError, match="reden"):
            services.revoke_verification(verification=verification, actor=civil_servant, reason=" ")
        assert User.objects.get(pk=resident.pk).has_role(Role.COMMUNITY_MEMBER)


class TestVerificationCodes:
    def test_codes_are_readable_and_only_their_hash_is_stored(self, civil_servant, area):
        codes = services.issue_verification_codes(area=area, count=3, actor=civil_servant)
        assert len(set(codes)) == 3
        for code in codes:
            assert len(code) == 14 and code.count("-") == 2
            assert not set(code.replace("-", "")) & set("01OIL")
        stored = VerificationCode.objects.all()
        assert {c.code_hash for c in stored} == {services.hash_code(c) for c in codes}
        assert not any(code in str(vars(c)) for c in stored for code in codes)

    def test_issuing_is_limited_per_batch(self, civil_servant, area):
        with pytest.raises(ValidationError):
            services.issue_verification_codes(area=area, count=0, actor=civil_servant)
        with pytest.raises(ValidationError):
            services.issue_verification_codes(
                area=area, count=services.MAX_CODES_PER_BATCH + 1, actor=civil_servant
            )
        assert not VerificationCode.objects.exists()

    def test_a_community_member_cannot_issue_codes(self, community_member, area):
        with pytest.raises(ValidationError):
            services.issue_verification_codes(area=area, count=1, actor=community_member)

    def test_redeeming_verifies_for_the_code_area(self, resident, issue_code, civil_servant, area):
        code = issue_code()
        verification = services.redeem_verification_code(actor=resident, code=code)
        assert verification.method == MemberVerification.Method.CODE
        assert verification.area == area
        assert verification.verified_by == civil_servant
        record = VerificationCode.objects.get()
        assert record.used_by == resident and record.used_at is not None
        assert User.objects.get(pk=resident.pk).has_role(Role.COMMUNITY_MEMBER)

    def test_codes_are_forgiving_about_case_spaces_and_dashes(self, resident, issue_code):
        code = issue_code()
        sloppy = " " + code.lower().replace("-", " ") + " "
        services.redeem_verification_code(actor=resident, code=sloppy)
        assert User.objects.get(pk=resident.pk).has_role(Role.COMMUNITY_MEMBER)

    def test_a_used_code_is_refused_with_a_clear_message(self, resident, issue_code):
        code = issue_code()
        services.redeem_verification_code(actor=resident, code=code)
        other = UserFactory(username="buurvrouw")
        with pytest.raises(ValidationError, match="al gebruikt") as error:
            services.redeem_verification_code(actor=other, code=code)
        assert error.value.code == "used"
        assert User.objects.get(pk=other.pk).roles == []

    def test_an_unknown_code_is_refused(self, resident, issue_code):
        issue_code()
        with pytest.raises(ValidationError, match="onbekend") as error:
            services.redeem_verification_code(actor=resident, code="ABCD-EFGH-JKMN")
        assert error.value.code == "unknown"
        assert not MemberVerification.objects.exists()

    def test_an_expired_code_is_refused(self, resident, issue_code):
        code = issue_code(valid_days=10)
        later = timezone.now() + timedelta(days=10, seconds=1)
        with freeze_time(later), pytest.raises(ValidationError, match="verlopen") as error:
            services.redeem_verification_code(actor=resident, code=code)
        assert error.value.code == "expired"
        assert VerificationCode.objects.get().used_at is None

    @pytest.mark.parametrize(
        ("language", "expected"), [("nl", "code is onbekend"), ("en", "code is unknown")]
    )
    def test_the_message_is_in_the_users_language(self, resident, language, expected):
        with translation.override(language), pytest.raises(ValidationError) as error:
            services.redeem_verification_code(actor=resident, code="ABCD-EFGH-JKMN")
        assert expected in error.value.messages[0]

    def test_register_with_code_creates_a_verified_account(self, issue_code):
        code = issue_code()
        user = services.register_with_code(
            username="nieuwebewoner", password="zeer-geheim-wachtwoord-42", code=code
        )
        assert user.check_password("zeer-geheim-wachtwoord-42")
        assert user.has_role(Role.COMMUNITY_MEMBER)

    def test_register_with_a_bad_code_creates_nothing(self, issue_code):
        issue_code()
        with pytest.raises(ValidationError):
            services.register_with_code(
                username="nieuwebewoner", password="zeer-geheim-wachtwoord-42", code="XXXX"
            )
        assert not User.objects.filter(username="nieuwebewoner").exists()

    def test_register_with_a_weak_password_uses_no_code(self, issue_code):
        code = issue_code()
        with pytest.raises(ValidationError):
            services.register_with_code(username="nieuwebewoner", password="123", code=code)
        assert VerificationCode.objects.get().used_at is None
        assert not User.objects.filter(username="nieuwebewoner").exists()


class TestRoles:
    def test_every_role_has_a_group(self):
        assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}

    def test_civil_servants_may_verify_but_not_manage_users(self, civil_servant):
        assert civil_servant.has_perm("accounts.add_memberverification")
        assert civil_servant.has_perm("accounts.add_verificationcode")
        assert civil_servant.has_perm("accounts.add_area")
        assert not civil_servant.has_perm("accounts.change_user")
        assert not civil_servant.has_perm("auth.change_group")

    def test_administrators_manage_users_and_see_the_groups(self, administrator):
        assert administrator.has_perm("accounts.change_user")
        assert administrator.has_perm("auth.view_group")
        # a role is a group by its name: renaming one would hand out another role
        assert not administrator.has_perm("auth.change_group")
        assert administrator.has_perm("accounts.delete_area")

    def test_community_youth_and_advisory_members_hold_no_staff_permissions(
        self, community_member, youth_member, advisory_member
    ):
        for user in (community_member, youth_member, advisory_member):
            assert not user.has_perm("accounts.add_memberverification")
            assert not user.has_perm("accounts.list_members")
            assert not user.has_perm("accounts.view_user")

    def test_role_permissions_are_restored_by_sync(self):
        from accounts.roles import sync_role_groups

        group = Group.objects.get(name=Role.CIVIL_SERVANT.value)
        group.permissions.clear()
        sync_role_groups()
        assert group.permissions.filter(codename="add_memberverification").exists()

    def test_set_roles_is_for_administrators_and_keeps_community_membership(
        self, community_member, administrator, civil_servant
    ):
        with pytest.raises(ValidationError):
            services.set_roles(
                user=community_member, roles={Role.YOUTH_COUNCIL}, actor=civil_servant
            )
        services.set_roles(user=community_member, roles={Role.YOUTH_COUNCIL}, actor=administrator)
        assert User.objects.get(pk=community_member.pk).roles == [
            Role.COMMUNITY_MEMBER,
            Role.YOUTH_COUNCIL,
        ]
