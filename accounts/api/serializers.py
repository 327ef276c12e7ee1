from rest_framework import serializers


class TokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, write_only=True)


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeOutputSerializer(serializers.Serializer):
    """The current user; `company` is the id of the firm the user belongs to, or null."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    is_organiser = serializers.BooleanField()
    is_staff = serializers.BooleanField()
    company = serializers.IntegerField(allow_null=True)
    company_role = serializers.CharField(allow_null=True)
