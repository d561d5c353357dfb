import { Component } from "preact";
import { callApi } from "@/client/api.ts";

/** One code as the dashboard shows it. */
export interface DashboardInvite {
  code: string;
  status: "active" | "claimed" | "revoked" | "expired";
  expiresAt: number;
  link: string;
}

/** Props of the InviteDashboard island. */
export interface InviteDashboardProps {
  invites: DashboardInvite[];
  /** Active codes allowed. */
  maxActive: number;
}

interface State {
  invites: DashboardInvite[];
  busy: boolean;
  message: string | null;
}

/** The member's invite codes: generate (then the page re-renders the QR), revoke, copy the link. */
export default class InviteDashboard extends Component<InviteDashboardProps, State> {
  override state: State = { invites: this.props.invites, busy: false, message: null };

  generate = async () => {
    this.setState({ busy: true, message: null });
    try {
      await callApi("/api/invites", undefined, "POST");
      location.reload();
    } catch (error) {
      this.setState({ busy: false, message: (error as Error).message });
    }
  };

  async revoke(code: string) {
    this.setState({ busy: true, message: null });
    try {
      const updated = await callApi<DashboardInvite>(`/api/invites/${code}`, undefined, "DELETE");
      this.setState(({ invites }) => ({
        busy: false,
        invites: invites.map((i) => i.code === code ? { ...i, status: updated.status } : i),
      }));
    } catch (error) {
      this.setState({ busy: false, message: (error as Error).message });
    }
  }

  async copy(link: string) {
    try {
      await navigator.clipboard.writeText(link);
      this.setState({ message: "Link copied." });
    } catch {
      this.setState({ message: link });
    }
  }

  override render() {
    const { invites, busy, message } = this.state;
    const active = invites.filter((i) => i.status === "active").length;
    return (
      <div class="invites" data-testid="invite-dashboard">
        <p class="invites__count">{active} of {this.props.maxActive} codes active</p>
        <button
          type="button"
          class="btn btn--primary"
          disabled={busy || active >= this.props.maxActive}
          onClick={this.generate}
          data-testid="invite-generate"
        >
          Generate a code
        </button>
        {message ? <p class="invites__message" role="status">{message}</p> : null}
        <ul class="invites__list">
          {invites.map((invite) => (
            <li key={invite.code} class="invite" data-status={invite.status} data-testid="invite">
              <code class="invite__code">{invite.code}</code>
              <span class="invite__status">{invite.status}</span>
              {invite.status === "active"
                ? (
                  <span class="invite__actions">
                    <button
                      type="button"
                      class="btn btn--ghost"
                      onClick={() => this.copy(invite.link)}
                    >
                      Copy link
                    </button>
                    <button
                      type="button"
                      class="btn btn--ghost"
                      disabled={busy}
                      onClick={() =>
                        this.revoke(invite.code)}
                    >
                      Revoke
                    </button>
                  </span>
                )
                : null}
            </li>
          ))}
        </ul>
      </div>
    );
  }
}
