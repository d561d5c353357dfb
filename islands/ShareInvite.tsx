import { Component } from "preact";
import { host, loadMiniKit } from "@/client/world_app.ts";

/** Props of the ShareInvite island. */
export interface ShareInviteProps {
  link: string;
  /** What the link is, for the buttons' accessible names ("invite ABCD-EFGH-JK"). */
  label: string;
  /** The words sent along with the link. */
  message: string;
  /** The mini-app id, to load MiniKit inside World App. */
  appId: string;
}

/** How the link went out (or why not), for the note under the buttons. */
const NOTES = {
  shared: "Sent. The invite works once, for the first person who uses it.",
  copied: "Link copied. Send it to the person you vouch for.",
  sharingUnavailable: "Sharing is not available here, so the link is copied instead.",
};

/**
 * Shares an invite: inside World App through MiniKit's share sheet, elsewhere through the
 * browser's (Web Share), and where neither exists it copies the link; "Copy link" copies it.
 * Where the clipboard is refused, the note shows the link to copy by hand.
 */
export default class ShareInvite extends Component<ShareInviteProps, { note?: string }> {
  share = async () => {
    const { link, message, appId } = this.props;
    const payload = { title: "An invitation to Aurum Circle", text: message, url: link };
    try {
      if (host() === "world-app") {
        const { MiniKit } = await loadMiniKit(appId);
        // World App opens its share sheet; the command answers null where this version cannot.
        if (MiniKit.commands.share(payload)) return;
      } else if (typeof navigator.share === "function") {
        await navigator.share(payload);
        return this.setState({ note: NOTES.shared });
      }
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") return; // closed the sheet
    }
    await this.copy(NOTES.sharingUnavailable);
  };

  copy = async (note: string = NOTES.copied) => {
    try {
      await navigator.clipboard.writeText(this.props.link);
      this.setState({ note });
    } catch {
      this.setState({ note: `Copy this link: ${this.props.link}` });
    }
  };

  override render() {
    const { label } = this.props;
    return (
      <div class="share-invite">
        <button
          type="button"
          class="btn btn--primary btn--block"
          onClick={this.share}
          aria-label={`Share ${label}`}
          data-testid="invite-share"
        >
          Share invite
        </button>
        <button
          type="button"
          class="btn btn--ghost btn--block"
          onClick={() => this.copy()}
          aria-label={`Copy the link of ${label}`}
          data-testid="invite-copy"
        >
          Copy link
        </button>
        <p class="share-invite__note" role="status" data-testid="invite-share-note">
          {this.state.note}
        </p>
      </div>
    );
  }
}
