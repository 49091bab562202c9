/**
 * The run report: a self-contained HTML page, with charts, rendered from a run's summary JSON.
 *
 * @see dev.opagent.examples.report.ReportRenderer
 */
@NullMarked
package dev.opagent.examples.report;

import org.jspecify.annotations.NullMarked;
