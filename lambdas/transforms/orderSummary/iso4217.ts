/**
 * The active ISO 4217 currency codes (list one of the standard, 2024 edition, fund and precious-metal
 * codes included, `XTS`/`XXX` test and no-currency codes excluded). A fixed list on purpose: a rule
 * must not depend on the runtime's Intl data or on I/O, or the same item could pass on one machine
 * and fail on another.
 */
export const ISO_4217_CODES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP ' +
    'BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR ' +
    'FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES ' +
    'KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR ' +
    'MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF ' +
    'SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS ' +
    'UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XDR XOF XPD ' +
    'XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

/**
 * Whether a value is an active ISO 4217 code (exactly three capitals on the list).
 * @example
 *   isIso4217Code('USD'); // true
 *   isIso4217Code('usd'); // false
 *   isIso4217Code('ABC'); // false (three capitals, but no such currency)
 */
export function isIso4217Code(value: unknown): boolean {
  return typeof value === 'string' && ISO_4217_CODES.has(value);
}
