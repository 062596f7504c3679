"""Taking part without a screen: every write (and the reads the officers' pages need) for
Community Homes, gathered from the modules that hold them, so callers import one name:

- `stations`: locations, polls offered there, reading officers' shifts, the station;
- `shifts`: recording, changing and withdrawing officers' shifts;
- `checkin`: finding a resident on the roll, the check-in, the assisted vote;
- `counts`: paper counts per batch with four eyes, the locations a result waits for;
- `public`: what a poll's page shows about its Community Homes.

See `governance.models.officing` for the data and the rule that a paper vote supersedes an online one
without opening either. An officer acts only in a current shift of theirs at the location named
in the URL (never only in the session), and never checks in someone who staffs that location.
"""

from governance.officing.checkin import (  # noqa: F401
    RollMatch,
    TableVerification,
    assisted_voter,
    cast_assisted_ballot,
    check_in,
    find_on_roll,
    looks_like_verification_code,
    on_duty_here,
    poll_card_number,
    verify_at_table,
)
from governance.officing.counts import (  # noqa: F401
    Batch,
    batch_shifts,
    batches,
    confirm_paper_count,
    current_count,
    enter_paper_count,
    paper_check_ins,
    ready_to_count,
    record_location_without_votes,
)
from governance.officing.public import LocationRow, public_view  # noqa: F401
from governance.officing.shifts import (  # noqa: F401
    add_shift,
    cancel_shift,
    change_shift,
    last_changes,
    withdrawn_shifts,
)
from governance.officing.stations import (  # noqa: F401
    Station,
    close_location,
    closed_by,
    create_location,
    current_shift,
    is_offered,
    is_on_shift,
    locations_to_offer,
    offer_poll_at,
    refuse_own_location,
    reopen_location,
    require_open,
    shifts_at,
    shifts_of,
    shifts_of_officer,
    station_is_offered,
    update_location,
)
from governance.selectors.paper import (  # noqa: F401
    LocationTotal,
    location_totals,
    locations_waiting,
)
