export { compositeAlarmEvent, localAlarmArn, metricAlarmEvent, type AlarmStateChangeEvent, type AlarmStateValue } from './alarmStateChangeEvent';
export { breakerAlarmRule } from './breakerAlarmRule';
export { captureEmf } from './captureEmf';
export { datapointsOfEmf, EmfDocumentSchema, type EmfDatapoint } from './emfDocument';
export { AlarmDefinitionError, AlarmDeliveryError, EmfDocumentError, LocalAlarmsError, OperationsOutboxWriteError } from './errors';
export { evaluateDatapoints, evaluationRange, type AlarmState } from './evaluateDatapoints';
export { evaluateMetricAlarm } from './evaluateMetricAlarm';
export { LocalAlarms, type LocalAlarmsOptions } from './LocalAlarms';
export { MetricStore, type MetricSeries } from './MetricStore';
