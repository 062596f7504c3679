"""The back office: administrators keep the building-block catalogue and the funds.

Contracts, realisations and allocations are written through the staff pages (the services keep
their rules and audit rows), so here they can be looked at with their history, not changed. The
ledger is append-only: read-only here, without delete.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Account,
    Allocation,
    BlockCatalogue,
    BuildingBlock,
    Contract,
    Contractor,
    Entry,
    Fund,
    Realisation,
    Transaction,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BuildingBlockInline(admin.TabularInline):
    model = BuildingBlock
    extra = 0
    fields = ["position", "code", "name", "kind", "value", "max_months"]
    ordering = ["position"]


@admin.register(BlockCatalogue)
class BlockCatalogueAdmin(SimpleHistoryAdmin):
    list_display = ["name", "valid_from"]
    inlines = [BuildingBlockInline]


@admin.register(Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "created_at"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contractor)
class ContractorAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["name", "kvk_number"]
    search_fields = ["name", "kvk_number"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["reference", "title", "contractor", "value", "obligation", "status"]
    list_filter = ["status", "obligation_kind"]
    search_fields = ["reference", "title", "contractor__name"]
    list_select_related = ["contractor"]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["contract", "block", "target_group", "value", "status"]
    list_filter = ["status", "target_group"]
    list_select_related = ["contract", "block"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["initiative", "fund", "amount", "decision_reference", "status", "date"]
    list_filter = ["status", "fund"]
    list_select_related = ["initiative", "fund"]


class EntryInline(ReadOnlyMixin, admin.TabularInline):
    model = Entry
    fields = ["account", "amount"]
    readonly_fields = ["account", "amount"]
    extra = 0


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "fund", "description", "actor"]
    list_filter = ["kind", "fund"]
    list_select_related = ["fund", "actor"]
    inlines = [EntryInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "fund"]
    list_filter = ["kind"]
