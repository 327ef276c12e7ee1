from django.apps import AppConfig


class KizunaConfig(AppConfig):
    """Project-wide set-up that belongs to no single app."""

    name = "config"
    label = "kizuna"
    verbose_name = "Kizuna"

    def ready(self) -> None:
        from config import text_input

        text_input.install()
