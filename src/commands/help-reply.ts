/** The HELP reply: the commands a registered number can send, with the spellings accepted. One GSM-7 SMS. */
export function helpReply(): string {
  return 'Commands: WHERE (or LOC, POS, "where\'s my car?", a pin emoji) - position, map link, fix age. HELP or ? - this list.';
}
