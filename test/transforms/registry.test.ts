import { getTransform, isRegistered, listTransforms, orderSummaryV1, orderSummaryV2, transformId, TransformError, UnknownTransformError } from '../../lambdas/transforms';

describe('transform registry', () => {
  it('finds each order-summary version by name@version', () => {
    expect(getTransform('order-summary@1')).toBe(orderSummaryV1);
    expect(getTransform('order-summary@2')).toBe(orderSummaryV2);
  });

  it('lists the registered transforms sorted, with ids that find them', () => {
    const listed = listTransforms();
    expect(listed.map((t) => t.id)).toEqual(['order-summary@1', 'order-summary@2']);
    for (const summary of listed) {
      const transform = getTransform(summary.id);
      expect(transformId(transform)).toBe(summary.id);
      expect(summary).toEqual({ id: summary.id, name: transform.name, version: transform.version, description: transform.description });
      expect(summary.description.length).toBeGreaterThan(10);
    }
  });

  it('says whether an id is registered', () => {
    expect(isRegistered('order-summary@2')).toBe(true);
    expect(isRegistered('order-summary@3')).toBe(false);
    expect(isRegistered('order-summary')).toBe(false);
    expect(isRegistered('ORDER-SUMMARY@2')).toBe(false);
  });

  it('refuses an unknown id with an error naming it and every registered id', () => {
    let error: unknown;
    try {
      getTransform('order-summary@3');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownTransformError);
    expect(error).toBeInstanceOf(TransformError);
    const unknown = error as UnknownTransformError;
    expect(unknown.name).toBe('UnknownTransformError');
    expect(unknown.transformId).toBe('order-summary@3');
    expect(unknown.registered).toEqual(['order-summary@1', 'order-summary@2']);
    expect(unknown.message).toContain('"order-summary@3"');
    expect(unknown.message).toContain('"order-summary@1", "order-summary@2"');
  });

  it('does not find inherited object properties by name', () => {
    expect(() => getTransform('constructor')).toThrow(UnknownTransformError);
    expect(isRegistered('__proto__')).toBe(false);
  });

  it('keeps the cause it is given', () => {
    const cause = new Error('root');
    expect(new UnknownTransformError('x@1', [], { cause }).cause).toBe(cause);
  });
});
