/** The HELP reply: the commands a registered number can send. One SMS. */
export function helpReply(): string {
  return "Commands: WHERE - current position with map link and fix age. HELP - this list.";
}
