from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import CalendarFeed, Notification, User
from accounts.unread import unread_changed


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_organiser", "is_staff", "email_verified", "is_active")
    list_filter = ("is_organiser", "is_staff", "email_verified", "is_active")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "first_name", "last_name", "language", "email_frequency")}),
        ("Roles", {"fields": ("is_organiser", "is_staff", "is_superuser", "is_active", "email_verified", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by the services that report events."""

    list_display = ("recipient", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__email",)
    readonly_fields = ("recipient", "kind", "params", "link", "key", "created_at", "read_at", "emailed_at")

    def has_add_permission(self, request):
        return False

    # A deleted unread row changes its recipient's badge (accounts.unread).
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        unread_changed([obj.recipient_id])

    def delete_queryset(self, request, queryset):
        recipients = list(queryset.values_list("recipient_id", flat=True))
        super().delete_queryset(request, queryset)
        unread_changed(recipients)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a calendar feed link; deleting one ends its URL. The nonce and hash stay out of sight."""

    list_display = ("user", "created_at")
    search_fields = ("user__email",)
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request) -> bool:
        return False  # links are made by their owners on the settings page
