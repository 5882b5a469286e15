// Functions refused on purpose, with the hint their refusal carries.
const ANOMALIES = 'Kusto\'s decomposition and anomaly scoring are not reproduced exactly here; compare values with series_stats()/series_fit_line(), or compute thresholds with summarize percentiles().';
/** Functions refused on purpose: their algorithms cannot be made to give Kusto's exact values here. */
export const DEEP: Record<string, string> = {
  series_decompose: ANOMALIES, series_decompose_anomalies: ANOMALIES, series_decompose_forecast: ANOMALIES, series_outliers: ANOMALIES,
  series_periods_detect: 'Period detection is not reproduced exactly here.', series_periods_validate: 'Period detection is not reproduced exactly here.',
  series_fit_2lines: 'Use series_fit_line().', series_fit_2lines_dynamic: 'Use series_fit_line_dynamic().', series_fit_poly: 'Use series_fit_line().',
  series_fir: 'Filters over series are not implemented.', series_iir: 'Filters over series are not implemented.', series_seasonal: ANOMALIES,
};

