import { datapointsOfEmf } from './emfDocument';
import { EmfDocumentError } from './errors';
import type { MetricStore } from './MetricStore';

/**
 * The sink the local handlers' Powertools Metrics write their EMF documents to (in place of stdout,
 * which CloudWatch Logs reads on AWS): each document's datapoints go into `store`. A document
 * CloudWatch would not ingest is dropped and reported to `onDropped`; it never fails the handler
 * that flushed it.
 * @example
 *   const store = new MetricStore();
 *   const deps: Deps = { ...env.deps, metricsSink: captureEmf(store, (error) => log(error.message)) };
 */
export function captureEmf(store: MetricStore, onDropped: (error: EmfDocumentError) => void): (document: unknown) => void {
  return (document) => {
    try {
      store.add(datapointsOfEmf(document));
    } catch (error) {
      if (!(error instanceof EmfDocumentError)) throw error;
      onDropped(error);
    }
  };
}
