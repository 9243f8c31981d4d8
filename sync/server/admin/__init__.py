"""The admin site: French, server-rendered, usable without JavaScript."""
