from django.contrib import admin

from borderlink.places.models import Unit, UnitAlias, UnitSuccession


class AliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "kind",
        "country",
        "name_vi",
        "name_en",
        "name_zh",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["country", "kind", "is_border"]
    search_fields = ["code", "official_code", "search_text"]
    raw_id_fields = ["parent"]
    inlines = [AliasInline]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "effective", "is_main"]
    list_filter = ["kind", "effective"]
    raw_id_fields = ["predecessor", "successor"]
