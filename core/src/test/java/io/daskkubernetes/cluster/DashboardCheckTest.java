package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardCheckTest {

    /** The page Debian's Dask (no bokeh) serves for every dashboard path, verbatim. */
    private static final String NO_BOKEH_PAGE =
            "<p>Dask needs bokeh >= 2.4.2, < 3 for the dashboard.</p><p>Install with conda: <code>conda"
                    + " install bokeh>=2.4.2,<3</code></p><p>Install with pip: <code>pip install"
                    + " bokeh>=2.4.2,<3</code></p>";

    @Test
    void aDaskWithoutBokehIsSaidInWordsNotInHtml() {
        assertThat(DashboardCheck.problemIn(NO_BOKEH_PAGE))
                .hasValueSatisfying(
                        problem ->
                                assertThat(problem)
                                        .contains(
                                                "only say \"Dask needs bokeh >= 2.4.2, < 3 for the"
                                                        + " dashboard.\"")
                                        .doesNotContain("<p>")
                                        .doesNotContain("<code>"));
    }

    @Test
    void aRealDashboardPageIsNoProblem() {
        assertThat(DashboardCheck.problemIn("<html><title>Dask: Status</title></html>")).isEmpty();
    }
}
