from django.contrib import admin

from common.admin import HistoryAdmin, ReadOnlyModelAdmin

from .models import Initiative, InitiativeImport


@admin.register(Initiative)
class InitiativeAdmin(HistoryAdmin):
    list_display = ("name", "area", "phase", "status", "updated_at")
    list_filter = ("status", "phase", "area")
    search_fields = ("name", "summary")
    readonly_fields = ("slug", "created_at", "updated_at", "created_by")
    filter_horizontal = ("classifications",)


@admin.register(InitiativeImport)
class InitiativeImportAdmin(ReadOnlyModelAdmin):
    list_display = ("original_name", "uploaded_by", "uploaded_at", "status", "imported_count")
    readonly_fields = [f.name for f in InitiativeImport._meta.fields]
