import type { NextFunction, Request, Response } from 'express';

/**
 * Requests the hub is still working on, counted from the handler's start to its end — not to the
 * client's going away. A client that disconnects mid-request leaves no connection for the HTTP
 * drain to wait on, yet its request goes on: a mutation commits, then records its audit event.
 * `hub.stop()` waits for `idle()` before it closes the audit trail, so that event is never lost.
 */
export class InFlight {
  private running = 0;
  private waiters: (() => void)[] = [];

  get count(): number {
    return this.running;
  }

  /** Express middleware: `handler`, counted while its promise is pending (errors go to `next`). */
  track(handler: (req: Request, res: Response, next: NextFunction) => unknown) {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      this.running += 1;
      try {
        await handler(req, res, next);
      } finally {
        this.running -= 1;
        if (this.running === 0) for (const wake of this.waiters.splice(0)) wake();
      }
    };
  }

  /** Resolves true once no request is running, or false after `ms`. */
  idle(ms: number): Promise<boolean> {
    if (this.running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, ms);
      this.waiters.push(wake);
    });
  }
}
