"""Topic coherence: UMass from a model's own counts equals UMass counted from its units' terms."""
import numpy as np
import pytest

import workbench as wb
from workbench.coherence import topic_coherence, umass_coherence


@pytest.mark.parametrize("settings", [dict(k=4), dict(k=6, unit="sentences:5"), dict(k=3, method="lda")])
def test_umass_from_the_model_matrix_equals_umass_over_units(seed_corpus, settings):
    model = wb.fit_topics(seed_corpus, **settings)
    table = topic_coherence(model, n_terms=8)
    top = [model.topics[model.topics["topic"] == t].sort_values("rank")["term"].head(8).tolist()
           for t in range(model.settings.k)]
    expected = umass_coherence(top, model.units["terms"].tolist())
    assert table["umass"].tolist() == expected
    assert np.isfinite(table["npmi"]).all() and (table["umass"] <= np.log(2)).all()
