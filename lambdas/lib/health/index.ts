export { alarmDefinitions, compositeAlarmName, COMPOSITE_ALARM_ID, type AlarmDefinition, type AlarmSubjects } from './alarmDefinitions';
export {
  DEFAULT_BREAKER_THRESHOLDS,
  resolveBreakerThresholds,
  type BreakerSignal,
  type BreakerThresholdOverrides,
  type BreakerThresholds,
  type SignalThreshold,
} from './breakerThresholds';
export { BreakerThresholdsError, HealthError } from './errors';
export {
  CONTROLLER_METRICS,
  DEFAULT_METRICS_NAMESPACE,
  LOCAL_STACK_NAME,
  metricsNamespace,
  metricsStackName,
  ROLLBACK_METRICS,
  SERVICE_DIMENSION,
  STACK_DIMENSION,
  WORKER_METRICS,
  WORKER_SERVICE,
} from './metricNames';
