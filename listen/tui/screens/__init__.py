"""The screens of the listen app (one per mode) and its modal dialogs."""
