import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_REQUEST, KIND_RESPONSE } from '../types.js';

/**
 * Kind of a PDU whose content does not say whether it asks or answers (COTP segments and disconnects,
 * S7comm-plus keep-alives): a request towards the server, a response towards the client; when the
 * direction is unknown, `fallback`.
 */
export function kindByDir(dir: number, fallback: number = KIND_REQUEST): number {
  return dir === DIR_TO_SERVER ? KIND_REQUEST : dir === DIR_TO_CLIENT ? KIND_RESPONSE : fallback;
}
