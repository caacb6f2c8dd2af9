from django.contrib import admin

from .models import (
    BudgetExtension,
    ClosingInterview,
    ContactPerson,
    Decision,
    DecisionFactor,
    FactorOption,
    HalfDay,
    HourEntry,
    Location,
    Membership,
    Organisation,
    PhaseTransition,
    RecruitmentContact,
    Signature,
    StartAgreement,
    Study,
    StudyMembership,
    Trajectory,
)


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "kind"]
    list_filter = ["sector", "kind"]
    search_fields = ["name", "short_name"]
    inlines = [LocationInline, ContactPersonInline]


class StudyMembershipInline(admin.TabularInline):
    model = StudyMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    inlines = [StudyMembershipInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    list_display = ["organisation", "study", "phase", "starts_on", "ends_on"]
    list_filter = ["study", "phase"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "study"]
    inlines = [MembershipInline]
    readonly_fields = ["phase"]


@admin.register(FactorOption)
class FactorOptionAdmin(admin.ModelAdmin):
    list_display = ["name", "category"]


class DecisionFactorInline(admin.TabularInline):
    model = DecisionFactor
    extra = 0


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "is_yes", "decided_on"]
    inlines = [DecisionFactorInline]


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    readonly_fields = ["party", "user", "signed_at"]
    can_delete = False


@admin.register(StartAgreement)
class StartAgreementAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "version", "coach_hours_budget", "min_half_days"]
    inlines = [SignatureInline]


admin.site.register(HalfDay)
admin.site.register(RecruitmentContact)
admin.site.register(PhaseTransition)
admin.site.register(HourEntry)
admin.site.register(BudgetExtension)


@admin.register(ClosingInterview)
class ClosingInterviewAdmin(admin.ModelAdmin):
    """Planning and status only: interview text and recordings are research data."""

    list_display = ["trajectory", "interviewee", "interviewee_role", "interviewer", "status"]
    list_filter = ["status", "interviewee_role"]
    fields = ["trajectory", "interviewee", "interviewee_role", "interviewer", "status"]
    readonly_fields = fields

    def has_add_permission(self, request):
        # Planning goes through the service, which enforces the independence rule.
        return False
