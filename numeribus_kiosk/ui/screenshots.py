"""``numeribus-kiosk screenshots OUTDIR``: a PNG of every screen, state, theme and profile.

The kiosk is built offscreen (:mod:`numeribus_kiosk.ui.screen_tour`: mock speech, fake clock,
a copy of the data directory's catalogue) and each picture is taken with
``QQuickWindow.grabWindow()`` once the screen has settled (transitions over, search done,
scene laid out and rendered).  File names say what they show:
``<screen>[-<state>]-<look>.png``, e.g. ``accueil-contraste.png``,
``recherche-resultats-standard.png``, ``notice-dys.png``, ``veille-standard.png``,
``accueil-en.png``.  A screen whose QML file is not written yet is reported as missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .screen_tour import (
    ALL_LOOKS,
    DEFAULT_PIXEL_PITCH_MM,
    DEFAULT_SIZE,
    STATES,
    VARIANTS,
    State,
    Tour,
    prepare_platform,
)

# What is photographed: each state with the looks listed (ALL_LOOKS: the four themes, the three
# profiles and 200 % text).
PLAN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("accueil", (*ALL_LOOKS, "en")),
    ("recherche", ALL_LOOKS),
    ("recherche-clavier", ("standard", "contraste")),
    ("recherche-resultats", ("standard", "contraste", "dys", "texte200", "en")),
    ("notice", ALL_LOOKS),
    ("demande", ("standard", "texte200")),
    ("passages", ALL_LOOKS),
    ("ateliers", ALL_LOOKS),
    ("avis", ALL_LOOKS),
    ("savoirs", ALL_LOOKS),
    ("accessibilite", ALL_LOOKS),
    ("veille", ("standard", "contraste")),
    ("mediateur-code", ("standard", "contraste")),
    ("mediateur", ("standard", "contraste", "texte200")),
    ("mediateur-seance", ("standard", "contraste", "texte200")),
    ("mediateur-seances", ("standard", "contraste")),
    ("mediateur-stats", ("standard", "contraste", "texte200")),
    ("mediateur-visiteurs", ("standard", "contraste")),
    ("mediateur-export", ("standard", "contraste")),
    ("mediateur-synchro", ("standard", "contraste", "texte200")),
)


@dataclass
class ShotReport:
    written: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # screens whose QML file is absent
    skipped: list[str] = field(default_factory=list)  # file names not written because of them


def file_name(state: State, variant_name: str) -> str:
    return f"{state.name}-{variant_name}.png"


def take_screenshots(
    data_dir: Path,
    out_dir: Path,
    *,
    size: tuple[int, int] = DEFAULT_SIZE,
    pixel_pitch_mm: float = DEFAULT_PIXEL_PITCH_MM,
    progress=None,
) -> ShotReport:
    """Write the PNGs of :data:`PLAN` into ``out_dir``; ``progress(path)`` after each one."""
    prepare_platform(size, pixel_pitch_mm)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    states = {state.name: state for state in STATES}
    report = ShotReport()
    with Tour(Path(data_dir), size=size, pixel_pitch_mm=pixel_pitch_mm) as tour:
        for state_name, looks in PLAN:
            state = states[state_name]
            for look in looks:
                name = file_name(state, look)
                if state.screen in tour.missing or not tour.enter(state, VARIANTS[look]):
                    report.skipped.append(name)
                    continue
                image = tour.grab()
                if image.isNull() or (image.width(), image.height()) != size:
                    raise RuntimeError(f"{name}: the window gave a {image.width()}x{image.height()} image")
                path = out_dir / name
                if not image.save(str(path), "PNG"):
                    raise OSError(f"cannot write {path}")
                report.written.append(path)
                if progress is not None:
                    progress(path)
        report.missing = list(tour.missing)
    return report
