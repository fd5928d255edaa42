// One errors module: every error the app means to show carries an HTTP status, a stable code and a
// message fit for the person who caused it. Anything else is a bug and is shown as a plain 500.

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'We could not find that page.') {
    super(404, 'not_found', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have access to this.') {
    super(403, 'forbidden', message);
  }
}

export class ValidationError extends AppError {
  constructor(details: Record<string, string[]>, message = 'Some fields need attention.') {
    super(400, 'validation_failed', message, details);
  }
}

export class UnavailableError extends AppError {
  constructor(message = 'Debrief cannot reach its database right now. Please try again in a moment.') {
    super(503, 'unavailable', message);
  }
}
