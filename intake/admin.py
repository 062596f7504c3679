"""The back office where administrators publish new questionnaire versions without code.

A version that is published and has intakes is shown read-only: to change it, copy it as a new
draft version, edit the draft, and publish it. Intakes themselves are written by the services
(through the intake pages); here they can be looked at, with their history.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import HistoryAdmin, ReadOnlyAdmin, ReadOnlyModelAdmin, ReadOnlyTabularInline

from . import services
from .models import Answer, Intake, IntakeLink, Option, Question, Questionnaire
from .selectors import questionnaire_is_locked


def _locked(questionnaire: Questionnaire | None) -> bool:
    return questionnaire is not None and questionnaire_is_locked(questionnaire)


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["version", "title", "notes"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            services.check_questionnaire_editable(self.instance)
        return cleaned


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    show_change_link = True
    fields = [
        "number",
        "key",
        "kind",
        "text_nl",
        "text_en",
        "descriptive",
        "counts_toward_composite",
        "weight",
    ]
    ordering = ["number"]

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(HistoryAdmin):
    form = QuestionnaireForm
    list_display = ["version", "title", "published_at", "intake_count"]
    readonly_fields = ["published_at", "created_at"]
    inlines = [QuestionInline]
    actions = ["copy_as_draft", "publish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(intake_total=Count("intakes"))

    @admin.display(description=_("intakes"), ordering="intake_total")
    def intake_count(self, obj) -> int:
        return obj.intake_total

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and not obj.intakes.exists()
            and super().has_delete_permission(request, obj)
        )

    def save_model(self, request, obj, form, change):
        if change and _locked(obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Copy as a new draft version"), permissions=["add"])
    def copy_as_draft(self, request, queryset):
        for questionnaire in queryset.order_by("version"):
            copy = services.copy_questionnaire(questionnaire=questionnaire, actor=request.user)
            self.message_user(
                request,
                _("Version %(new)s is a draft copy of version %(old)s.")
                % {"new": copy.version, "old": questionnaire.version},
                messages.SUCCESS,
            )

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for questionnaire in queryset.order_by("version"):
            try:
                services.publish_questionnaire(questionnaire=questionnaire, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext("%(count)d version published.", "%(count)d versions published.", published)
                % {"count": published},
                messages.SUCCESS,
            )


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["position", "code", "label_nl", "label_en"]

    def has_add_permission(self, request, obj=None):
        return not _locked(obj and obj.questionnaire) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _locked(obj and obj.questionnaire) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj and obj.questionnaire) and super().has_delete_permission(
            request, obj
        )


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "questionnaire",
            "number",
            "key",
            "kind",
            "text_nl",
            "text_en",
            "short_label_nl",
            "short_label_en",
            "pole_low_nl",
            "pole_low_en",
            "pole_high_nl",
            "pole_high_en",
            "descriptive",
            "counts_toward_composite",
            "weight",
            "allows_other",
        ]

    def clean(self):
        cleaned = super().clean()
        questionnaire = cleaned.get("questionnaire") or getattr(
            self.instance, "questionnaire", None
        )
        if questionnaire is not None:
            services.check_questionnaire_editable(questionnaire)
        if cleaned.get("counts_toward_composite") and cleaned.get("kind") != Question.Kind.SCALE:
            self.add_error(
                "counts_toward_composite", _("Only scale questions count toward the composite.")
            )
        return cleaned


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = [
        "number",
        "text_nl",
        "kind",
        "questionnaire",
        "counts_toward_composite",
        "weight",
    ]
    list_filter = ["questionnaire", "kind"]
    list_select_related = ["questionnaire"]
    search_fields = ["text_nl", "text_en"]
    ordering = ["-questionnaire__version", "number"]
    inlines = [OptionInline]
    fieldsets = [
        (None, {"fields": ["questionnaire", "number", "key", "kind", "text_nl", "text_en"]}),
        (
            _("Scale"),
            {
                "fields": [
                    "short_label_nl",
                    "short_label_en",
                    "pole_low_nl",
                    "pole_low_en",
                    "pole_high_nl",
                    "pole_high_en",
                    "descriptive",
                    "counts_toward_composite",
                    "weight",
                ]
            },
        ),
        (_("Choices"), {"fields": ["allows_other"]}),
    ]

    def has_change_permission(self, request, obj=None):
        return not _locked(obj and obj.questionnaire) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj and obj.questionnaire) and super().has_delete_permission(
            request, obj
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "questionnaire":
            # New questions only go into versions that can still change.
            kwargs["queryset"] = Questionnaire.objects.exclude(
                published_at__isnull=False, intakes__isnull=False
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AnswerInline(ReadOnlyTabularInline):
    model = Answer
    fields = ["question", "scale_value", "text", "other_text", "options"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question").prefetch_related("options")


@admin.register(Intake)
class IntakeAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "date", "status", "method", "composite", "is_published"]
    list_filter = ["status", "method", "is_published", "questionnaire"]
    list_select_related = ["initiative"]
    search_fields = ["initiative__name"]
    date_hierarchy = "date"
    inlines = [AnswerInline]
    readonly_fields = [f.name for f in Intake._meta.fields]


@admin.register(IntakeLink)
class IntakeLinkAdmin(ReadOnlyModelAdmin):
    list_display = ["intake", "created_by", "created_at", "expires_at", "used_at", "revoked_at"]
    list_select_related = ["intake__initiative", "created_by"]
    readonly_fields = [f.name for f in IntakeLink._meta.fields]
