/**
 * An argument a provider cannot serve (Infobip's logs reach back 48 hours only), raised below the
 * resolvers, which import nothing from `graphql`; the client sees BAD_USER_INPUT naming `argument`.
 */
export class InvalidArgument extends Error {
  override readonly name = 'InvalidArgument';
  constructor(
    message: string,
    /** The argument's path in the query, e.g. `filter.sentSince`. */
    readonly argument: string,
  ) {
    super(message);
  }
}
