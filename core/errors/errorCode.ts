import { GraphQLError, type GraphQLErrorExtensions } from 'graphql';

/** One public error code: its name, what it means and the HTTP status of a request it ends. */
export interface ErrorCodeDefinition {
  readonly code: string;
  readonly description: string;
  /** Status of the HTTP response when this error rejects the whole request. */
  readonly httpStatus: number;
}

/**
 * A registered error code with a factory for the `GraphQLError` that carries it.
 *
 * Every error a client can see is created through one of these, so that `extensions.code` always
 * comes from the registry and the documentation generated from it stays complete.
 */
export class ErrorCode implements ErrorCodeDefinition {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly httpStatus: number = 200,
  ) {}

  /** Creates the client-facing error; `extensions` adds details such as a limit and a value. */
  error(message: string, extensions: GraphQLErrorExtensions = {}): GraphQLError {
    const http = this.httpStatus === 200 ? {} : { http: { status: this.httpStatus } };
    return new GraphQLError(message, { extensions: { ...extensions, code: this.code, ...http } });
  }

  /** Tells whether an error (possibly wrapped by graphql-js) carries this code. */
  matches(error: unknown): boolean {
    return error instanceof GraphQLError && error.extensions?.code === this.code;
  }
}
