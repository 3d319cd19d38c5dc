import { Piscina } from 'piscina';

/**
 * A task result whose ArrayBuffers are moved to the main thread instead of copied: piscina
 * transfers what `transferableSymbol` names and delivers what `valueSymbol` holds. The buffers
 * are unusable in the worker afterwards.
 */
export function movedResult<T extends object>(value: T, buffers: ArrayBuffer[]): T {
  const wrapper = { [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: value };
  return Piscina.move(wrapper as unknown as Parameters<typeof Piscina.move>[0]) as unknown as T;
}
