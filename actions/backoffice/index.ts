import type { AdminServices } from '../index.js';
import { cancellationActions } from './cancellation-actions.js';
import { clientMergeAction } from './client-merge-action.js';
import { quoteActions } from './quote-actions.js';
export type { BackofficeDeps } from './shared.js';

/** The back office's workflow actions by resource (issue 7): cancellation requests, quotes, client merge. */
export function backofficeActions(services: AdminServices): { CancellationRequest: never; Quote: never; Client: Record<string, never> } {
  return {
    CancellationRequest: cancellationActions(services, services.backoffice) as never,
    Quote: quoteActions(services, services.backoffice) as never,
    Client: clientMergeAction(services) as never,
  };
}
