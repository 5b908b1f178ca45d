from rest_framework import serializers

from ..models import Category, CollectionDistrict, Item


class DistrictSerializer(serializers.ModelSerializer):
    areas = serializers.SerializerMethodField(help_text="The area names (町名) in this collection district.")
    platform_district = serializers.CharField(source="platform_district.code", allow_null=True, default=None,
                                              help_text="The code of the city district whose residents see this collection district first.")

    class Meta:
        model = CollectionDistrict
        fields = ["code", "name", "center", "platform_district", "areas", "is_sample"]

    def get_areas(self, obj) -> list[str]:
        return [area.name for area in obj.areas.all()]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "name_en", "colour", "letter", "shape", "bag", "instructions", "is_sample"]


class CollectionSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    category = serializers.CharField(help_text="The category's code (see /categories/).")
    status = serializers.ChoiceField(choices=["regular", "moved", "added", "cancelled"],
                                     help_text="regular; moved (by a holiday, a closure or a one-off change); added (a one-off extra day); cancelled (a one-off skip: no collection that day).")
    scheduled_date = serializers.DateField(source="nominal", help_text="The day this collection stands for before it was moved.")
    moved_to = serializers.DateField(allow_null=True, help_text="For a cancelled day that was moved: the new day.")
    note = serializers.CharField(help_text="The reason of a change, as staff wrote it for residents (Japanese).")


class CollectionsQuerySerializer(serializers.Serializer):
    district = serializers.SlugField(help_text="The collection district's code.")
    date_from = serializers.DateField(help_text="First day (YYYY-MM-DD).")
    date_to = serializers.DateField(help_text="Last day (YYYY-MM-DD), at most 400 days after date_from.")

    def validate(self, attrs):
        from django.utils.translation import gettext as _

        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": [_("終了日は開始日以降にしてください。")]})
        if (attrs["date_to"] - attrs["date_from"]).days > 400:
            raise serializers.ValidationError({"date_to": [_("期間は400日以内にしてください。")]})
        return attrs


class ItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code")

    class Meta:
        model = Item
        fields = ["name", "furigana", "category", "notice", "is_sample"]


class ItemQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=64, help_text="Part of an item's name, in any script (kana, kanji, half- or full-width).")
