import { RejectReason, ReceiptStatus } from '../generated/aurigraph.js';

const rejectReasonNames = new Map<number, string>(Object.entries(RejectReason).map(([name, value]) => [value, name]));
const receiptStatusNames = new Map<number, string>(Object.entries(ReceiptStatus).map(([name, value]) => [value, name]));

/** 'INSUFFICIENT_FUNDS' for RejectReason.INSUFFICIENT_FUNDS; the number for an unknown value. */
export function rejectReasonName(reason: number): string {
  return rejectReasonNames.get(reason) ?? `RejectReason ${reason}`;
}

export function receiptStatusName(status: number): string {
  return receiptStatusNames.get(status) ?? `ReceiptStatus ${status}`;
}
