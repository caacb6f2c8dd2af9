"""The research-database classification a report is filed with (sector, theme, year, type)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    VISION_POLICY_QUALITY = "vision_policy_quality", _("Vision, policy and quality")
    LEARNING_ENVIRONMENT = "learning_environment", _("Career guidance learning environment")
    PROGRAMME = "programme", _("Career guidance programme")
    STUDY_CHOICE = "study_choice", _("Study choice / study success")
    CAREER_CONVERSATION = "career_conversation", _("Career conversation")
    TRANSITIONS = "transitions", _("Transitions")
    LABOUR_MARKET_INFORMATION = "labour_market_information", _("Labour market information")
    DOCUMENTS = "documents", _("Career guidance documents")
    PARENT_INVOLVEMENT = "parent_involvement", _("Parent involvement")
    PROFESSIONALISATION = "professionalisation", _("Professionalisation")
    COLLABORATION = "collaboration", _("Collaboration")
    EQUAL_OPPORTUNITIES = "equal_opportunities", _("Equal opportunities")


class YearBand(models.TextChoices):
    AFTER_2020 = "after_2020", _("after 2020")
    FROM_2015_TO_2020 = "2015_2020", _("2015 – 2020")
    BEFORE_2015 = "before_2015", _("before 2015")


class PublicationType(models.TextChoices):
    DISSERTATION = "dissertation", _("Dissertation")
    INAUGURAL_LECTURE = "inaugural_lecture", _("Inaugural or professorial lecture")
    RESEARCH_REPORT = "research_report", _("Research report")
    REPORT_SUMMARY = "report_summary", _("Summary of a research report")
    ARTICLE = "article", _("Article")


def year_band(year: int) -> str:
    if year > 2020:
        return YearBand.AFTER_2020
    if year >= 2015:
        return YearBand.FROM_2015_TO_2020
    return YearBand.BEFORE_2015
