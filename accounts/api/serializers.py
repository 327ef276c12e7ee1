from rest_framework import serializers


class TokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, write_only=True)
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="What the token is for, shown in the token list."
    )


class TokenOutputSerializer(serializers.Serializer):
    """A new token: `token` is shown this once; keep it secret. `expires_at` ends it."""

    token = serializers.CharField()
    id = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class TokenListItemSerializer(serializers.Serializer):
    """One of the user's tokens; `prefix` is the token's first characters, never the whole token."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    is_current = serializers.BooleanField(help_text="The token this request was made with.")


class MeOutputSerializer(serializers.Serializer):
    """The current user; `company` is the id of the firm the user belongs to, or null."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    is_organiser = serializers.BooleanField()
    is_staff = serializers.BooleanField()
    company = serializers.IntegerField(allow_null=True)
    company_role = serializers.CharField(allow_null=True)
