import { transformId, type Transform } from './Transform';
import { UnknownTransformError } from './errors';
import { orderSummaryV1 } from './orderSummary/orderSummaryV1';
import { orderSummaryV2 } from './orderSummary/orderSummaryV2';

/** Every transform a spec may name, by id (`name@version`). Add new versions here; never edit a shipped one. */
const REGISTRY: ReadonlyMap<string, Transform> = new Map(
  ([orderSummaryV1, orderSummaryV2] as readonly Transform[]).map((transform) => [transformId(transform), transform] as const),
);

/** What {@link listTransforms} says about one registered transform. */
export interface TransformSummary {
  /** `name@version`, as specs name it. */
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly description: string;
}

/**
 * The registered transform with this id.
 * @throws UnknownTransformError naming the id and every registered id.
 * @example
 *   const transform = getTransform('order-summary@2');
 *   const items = transform.apply(transform.inputSchema.parse(JSON.parse(line)));
 */
export function getTransform(id: string): Transform {
  const transform = REGISTRY.get(id);
  if (!transform) throw new UnknownTransformError(id, [...REGISTRY.keys()].sort());
  return transform;
}

/**
 * Whether a transform with this id is registered.
 * @example
 *   isRegistered('order-summary@2'); // true
 *   isRegistered('order-summary@9'); // false
 */
export function isRegistered(id: string): boolean {
  return REGISTRY.has(id);
}

/**
 * Every registered transform, sorted by name then version.
 * @example
 *   listTransforms().map((t) => t.id); // ['order-summary@1', 'order-summary@2']
 */
export function listTransforms(): TransformSummary[] {
  return [...REGISTRY.values()]
    .map(({ name, version, description }) => ({ id: transformId({ name, version }), name, version, description }))
    .sort((a, b) => (a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1));
}
