"""Organisations (schools, programmes, departments) and their locations."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    VMBO = "vmbo", _("vmbo")
    HAVO_VWO = "havo_vwo", _("havo/vwo")
    MBO = "mbo", _("mbo")
    HO = "ho", _("ho")


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("school")
    PROGRAMME = "programme", _("programme")
    DEPARTMENT = "department", _("department")


class Organisation(models.Model):
    """The unit a trajectory works with: a school, a programme or a department."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("How people usually call it.")
    )
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    kind = models.CharField(
        _("kind"), max_length=12, choices=OrganisationKind.choices, default=OrganisationKind.SCHOOL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # "De Brug" and "de brug" are one school: the setup form catches it
            # with a clear message, this constraint when two people race.
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_ci_unique",
                violation_error_message=_("An organisation with this name already exists."),
            ),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="organisation_sector_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]
        # Lists of trajectories sort by organisation name ten at a time: walked
        # in name order PostgreSQL stops after the page instead of sorting them all.
        indexes = [models.Index(fields=["name"], name="organisation_name")]

    def __str__(self):
        return self.name


class Location(models.Model):
    """A site of an organisation; an mbo institution often has several."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="location_name_unique_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.city})" if self.city else self.name
