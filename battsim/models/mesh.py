"""The finite-volume mesh of a cell model: how many points where, and how they are spaced.

A number from a discretised model is only as good as its mesh, and what a converged mesh needs
depends on the chemistry and the condition (``python -m battsim.studies.convergence``,
``validation/mesh_convergence.md``). A :class:`Mesh` names the points across the negative
electrode, across the separator and the positive electrode, and along each particle radius,
and whether the particle points are spaced evenly or clustered at the particle surface, where
a cold discharge's steep concentration gradients sit. Its PyBaMM form (``var_pts`` and the
submesh types) is made in :mod:`battsim.models.cell`, the adapter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mesh:
    """Finite-volume points of a DFN cell.

    Parameters
    ----------
    across : int
        Points across the separator and the positive electrode (and the negative electrode,
        unless ``negative_across`` is given).
    r_negative, r_positive : int
        Points along the negative and the positive particle radius.
    negative_across : int, optional
        Points across the negative electrode, where a cold discharge held near ambient moves a
        reaction front from the separator to the current collector (default: ``across``).
    particle_stretch : float
        0 for evenly spaced particle points; above 0, PyBaMM's ``Exponential1DSubMesh``
        clustered at the particle surface with this stretch (the same points resolve a thinner
        surface layer).

    Examples
    --------
    >>> Mesh.of((10, 120, 40)).label
    '10/120/40'
    >>> Mesh(10, 240, 40, negative_across=40, particle_stretch=2.0).label
    '10/240/40, 40 across the negative electrode, particles stretched 2'
    """

    across: int
    r_negative: int
    r_positive: int
    negative_across: int | None = None
    particle_stretch: float = 0.0

    @classmethod
    def of(cls, points) -> Mesh:
        """A mesh from a :class:`Mesh`, ``(across, radial)`` or ``(across, r_negative, r_positive)``."""
        if isinstance(points, Mesh):
            return points
        points = tuple(int(p) for p in points)
        return cls(points[0], points[1], points[1]) if len(points) == 2 else cls(*points)

    @property
    def x_negative(self) -> int:
        """Points across the negative electrode."""
        return self.negative_across or self.across

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """(across the negative electrode, across the rest, along r-, along r+)."""
        return self.x_negative, self.across, self.r_negative, self.r_positive

    @property
    def label(self) -> str:
        """``across/r-/r+``, then what differs from an even mesh."""
        text = f"{self.across}/{self.r_negative}/{self.r_positive}"
        if self.x_negative != self.across:
            text += f", {self.x_negative} across the negative electrode"
        if self.particle_stretch:
            text += f", particles stretched {self.particle_stretch:g}"
        return text

    def finer_everywhere(self, other: Mesh) -> bool:
        """More points than ``other`` in every direction, spaced the same way."""
        return (self.particle_stretch == other.particle_stretch
                and all(a > b for a, b in zip(self.counts, other.counts)))

    def coarser_than(self, other: Mesh) -> bool:
        """Fewer points than ``other`` somewhere, or evenly spaced particles where ``other`` clusters
        them at the surface."""
        return (any(a < b for a, b in zip(self.counts, other.counts))
                or (other.particle_stretch > 0 and not self.particle_stretch))

    def var_pts(self, default: dict) -> dict:
        """PyBaMM's ``var_pts``: ``default`` (a model's) with this mesh's points."""
        var_pts = dict(default)
        for key, value in (("x_n", self.x_negative), ("x_s", self.across), ("x_p", self.across),
                           ("r_n", self.r_negative), ("r_p", self.r_positive)):
            if key in var_pts:
                var_pts[key] = value
        return var_pts

    def solver_settings(self) -> dict:
        """The ``[solver]`` settings that ask for this mesh."""
        return {"electrode_points": self.across, "negative_electrode_points": self.x_negative,
                "negative_particle_points": self.r_negative, "positive_particle_points": self.r_positive,
                "particle_stretch": self.particle_stretch}
