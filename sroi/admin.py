"""The back office: administrators keep the building-block catalogue and the funds.

Contracts, realisations and allocations are written through the staff pages (the services keep
their rules and audit rows), so here they can be looked at with their history, not changed. The
ledger is append-only: read-only here, without delete.
"""

from django.contrib import admin

from common.admin import HistoryAdmin, ReadOnlyAdmin, ReadOnlyModelAdmin, ReadOnlyTabularInline

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


class BuildingBlockInline(admin.TabularInline):
    model = BuildingBlock
    extra = 0
    fields = ["position", "code", "name", "kind", "value", "max_months"]
    ordering = ["position"]


@admin.register(BlockCatalogue)
class BlockCatalogueAdmin(HistoryAdmin):
    list_display = ["name", "valid_from"]
    inlines = [BuildingBlockInline]


@admin.register(Fund)
class FundAdmin(HistoryAdmin):
    list_display = ["name", "area", "created_at"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contractor)
class ContractorAdmin(ReadOnlyAdmin):
    list_display = ["name", "kvk_number"]
    search_fields = ["name", "kvk_number"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "contractor", "value", "obligation", "status"]
    list_filter = ["status", "obligation_kind"]
    search_fields = ["reference", "title", "contractor__name"]
    list_select_related = ["contractor"]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ["contract", "block", "target_group", "value", "status"]
    list_filter = ["status", "target_group"]
    list_select_related = ["contract", "block"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "fund", "amount", "decision_reference", "status", "date"]
    list_filter = ["status", "fund"]
    list_select_related = ["initiative", "fund"]


class EntryInline(ReadOnlyTabularInline):
    model = Entry
    fields = ["account", "amount"]
    readonly_fields = ["account", "amount"]


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyModelAdmin):
    list_display = ["date", "kind", "fund", "description", "actor"]
    list_filter = ["kind", "fund"]
    list_select_related = ["fund", "actor"]
    inlines = [EntryInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "kind", "fund"]
    list_filter = ["kind"]
