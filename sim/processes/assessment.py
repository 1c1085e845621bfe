"""The year's assessment of each cadre: how selection panels see merit.

Every cadre is assessed and classified once a year (Regulation 132-QĐ/TW, 8 Mar 2018,
on the annual review and assessment in the political system; for civil servants
Decree 56/2015/NĐ-CP as amended by Decree 88/2017/NĐ-CP, from 2020 Decree
90/2020/NĐ-CP). The model reads that assessment as observed competence = latent
competence + noise: one standard-normal draw per cadre and calendar year, scaled by the
noise of whoever reads it (``policy.pool.noise_sd`` for the succession pool,
``policy.selection.noise_sd`` for appointments and the congress; estimates). All of a
year's decisions about a cadre read the same assessment, as they read the same file.

The draw is keyed by the cadre and the year (sim/engine/streams.py), computed the first
time the year's assessment is needed, so it is the same in every scenario in which the
cadre exists, however many reviews or vacancies a restructuring brings.
"""

from __future__ import annotations

import numpy as np

from sim.processes.base import Process


class Assessment(Process):
    name = "assessment"
    stream = "assessment"
    columns = {
        "assessed_year": (np.int32, -1),  # calendar year (index) of the stored assessment
        "assessment_z": (np.float64, 0.0),  # that year's standard-normal assessment noise
    }

    def setup(self) -> None:
        self.people = self.model.people

    def noise(self, cadres: np.ndarray, m: int) -> np.ndarray:
        """The standard-normal assessment noise of ``cadres`` in the year of month m."""
        people, year = self.people, m // 12
        stale = people.assessed_year[cadres] != year
        if stale.any():
            s = cadres[stale]
            people.assessment_z[s] = self.model.streams.keyed(self.stream, per="year").normal(people.key[s])
            people.assessed_year[s] = year
        return people.assessment_z[cadres]
