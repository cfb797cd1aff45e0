from django.contrib import admin

from petitions.models import PetitionCategory


@admin.register(PetitionCategory)
class PetitionCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("name", "code")
