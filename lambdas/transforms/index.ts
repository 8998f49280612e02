export { transformId, type Transform, type TargetItem } from './Transform';
export { getTransform, isRegistered, listTransforms, type TransformSummary } from './registry';
export { TransformError, UnknownTransformError } from './errors';
export { OrderEventSchema, OrderLineSchema, ORDER_LIMITS, type OrderEvent } from './orderSummary/OrderEventSchema';
export { OrderSummarySchema, type OrderSummary } from './orderSummary/OrderSummarySchema';
export { orderSummaryV1 } from './orderSummary/orderSummaryV1';
export { orderSummaryV2 } from './orderSummary/orderSummaryV2';
export { toCents, fromCents } from './orderSummary/money';
