#!/usr/bin/env bash
# Capacity-building end to end, with curl, against a freshly started service:
#
#   BOOTSTRAP_ADMIN_EMAIL=admin@un.example BOOTSTRAP_ADMIN_PASSWORD='a long admin passphrase 1' npm start | tee /tmp/cbm.log
#   LOG=/tmp/cbm.log BOOTSTRAP_ADMIN_EMAIL=admin@un.example BOOTSTRAP_ADMIN_PASSWORD='a long admin passphrase 1' scripts/walkthrough/capacity.sh
#
# The secretariat admits Fiji and Japan and invites an administrator of each (without SMTP_URL the
# invitation mail is written to the log, where this script reads the code). Fiji describes a need,
# Japan an offer; the need's matches rank the offer; Japan proposes, Fiji accepts, both report on
# the engagement, Fiji completes it, both evaluate it, and Fiji marks the need fulfilled. Run it from
# the checkout (it computes the administrator's second factor with the project's otpauth package).
set -euo pipefail
API=${API:-http://localhost:3000/api/v1}
: "${LOG:?the service log (npm start | tee LOG)}" "${BOOTSTRAP_ADMIN_EMAIL:?}" "${BOOTSTRAP_ADMIN_PASSWORD:?}"
RUN=$(date +%s)

call() { # METHOD PATH TOKEN [BODY]: the answer's JSON; fails on an HTTP error, showing the problem
  local answer
  answer=$(curl -sS -X "$1" "$API$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"} -w '\n%{http_code}')
  local status=${answer##*$'\n'}
  if [[ $status != 2* ]]; then echo "$1 $2 → $status ${answer%$'\n'*}" >&2; exit 1; fi
  printf '%s' "${answer%$'\n'*}"
}
step() { printf '\n== %s\n' "$*"; }
totp() { node -e "const { TOTP } = require('otpauth'); console.log(new TOTP({ secret: process.argv[1] }).generate())" "$1"; }

step "The secretariat signs in (enrolling its second factor the first time; the secret is kept beside the log for a second run)"
SECRET_FILE="$LOG.mfa-secret"
LOGIN=$(curl -sS -X POST "$API/auth/login" -H 'Content-Type: application/json' -d "{\"email\":\"$BOOTSTRAP_ADMIN_EMAIL\",\"password\":\"$BOOTSTRAP_ADMIN_PASSWORD\"}")
if [[ $(jq -r .mfaRequired <<<"$LOGIN") == true ]]; then
  # A code is accepted once: wait for the next time step if the last run used this one.
  sleep $((30 - $(date +%s) % 30 + 1))
  ADMIN=$(curl -sS -f -X POST "$API/auth/mfa/verify" -H 'Content-Type: application/json' -d "{\"mfaToken\":\"$(jq -r .mfaToken <<<"$LOGIN")\",\"code\":\"$(totp "$(cat "$SECRET_FILE")")\"}" | jq -r .accessToken)
else
  ADMIN=$(jq -r .accessToken <<<"$LOGIN")
  SECRET=$(call POST /auth/mfa/enrolment "$ADMIN" | jq -r .secret)
  echo "$SECRET" >"$SECRET_FILE"
  call POST /auth/mfa/enrolment/confirm "$ADMIN" "{\"code\":\"$(totp "$SECRET")\"}" | jq -c '{recoveryCodes: (.recoveryCodes | length)}'
fi

admit() { # STATE: admitted, with an administrator invited and signed in; prints the access token
  local state=$1 email="admin.$RUN@${1,,}.example" token
  call PATCH "/states/$1" "$ADMIN" '{"participating":true}' >/dev/null
  call POST /users "$ADMIN" "{\"email\":\"$email\",\"displayName\":\"Administrator of $state\",\"role\":\"STATE_ADMIN\",\"stateCode\":\"$state\"}" >/dev/null
  for _ in $(seq 50); do
    token=$(grep -F "$email" "$LOG" | grep -oE 'inv_[A-Za-z0-9_-]+' | tail -1 || true)
    [[ -n $token ]] && break
    sleep 0.2
  done
  [[ -n $token ]] || { echo "No invitation for $email in $LOG" >&2; exit 1; }
  curl -sS -f -X POST "$API/auth/invitations/accept" -H 'Content-Type: application/json' -d "{\"token\":\"$token\",\"password\":\"a long passphrase of $state 42\"}" >/dev/null
  curl -sS -f -X POST "$API/auth/login" -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"a long passphrase of $state 42\"}" | jq -r .accessToken
}
step "Fiji and Japan are admitted; their administrators accept their invitations and sign in"
FJI=$(admit FJI)
JPN=$(admit JPN)
echo "signed in"

IN_DAYS() { date -u -d "+$1 days" +%F; }
step "Japan offers malware-analysis training to Asia-Pacific, and opens the offer"
OFFER=$(call POST /capacity/offers "$JPN" "{\"title\":\"Malware analysis training ($RUN)\",\"description\":\"A two-week course for CERT analysts.\",\"areas\":[\"INCIDENT_RESPONSE\",\"TECHNICAL_TRAINING\"],\"modalities\":[\"TRAINING\"],\"languages\":[\"en\"],\"regions\":[\"ASIA_PACIFIC\"],\"places\":12,\"tlp\":\"GREEN\",\"audience\":\"ALL_STATES\"}" | jq -r .id)
call POST "/capacity/offers/$OFFER/open" "$JPN" | jq -c '{id, status}'

step "Fiji describes what it needs (with a self-assessment), and opens it: Japan is told"
NEED=$(call POST /capacity/needs "$FJI" "{\"title\":\"Incident response capability ($RUN)\",\"description\":\"Train six analysts of our new national CERT.\",\"areas\":[\"INCIDENT_RESPONSE\",\"CERT_ESTABLISHMENT_AND_MATURITY\"],\"modalities\":[\"TRAINING\",\"MENTORING\"],\"languages\":[\"en\"],\"neededBy\":\"$(IN_DAYS 180)\",\"selfAssessment\":{\"model\":\"Oxford CMM (2021)\",\"level\":\"Start-up\"},\"tlp\":\"GREEN\",\"audience\":\"ALL_STATES\"}" | jq -r .id)
call POST "/capacity/needs/$NEED/open" "$FJI" | jq -c '{id, status, expired}'

step "The need's matches, with the reason for every point"
call GET "/capacity/needs/$NEED/matches" "$FJI" | jq -c --arg offer "$OFFER" '.items[] | select(.offer.id == $offer) | {score, reasons: [.reasons[] | "\(.criterion) \(.points)/\(.maxPoints): \(.detail)"]}'

step "Japan proposes with its offer; Fiji accepts: an engagement starts and the need is in progress"
PROPOSAL=$(call POST "/capacity/needs/$NEED/proposals" "$JPN" "{\"message\":\"We can run the course in March.\",\"offerId\":\"$OFFER\"}" | jq -r .id)
ENGAGEMENT=$(call POST "/capacity/proposals/$PROPOSAL/accept" "$FJI" | jq -r .engagementId)
call GET "/capacity/needs/$NEED" "$FJI" | jq -c '{status}'

step "Both report on the engagement; Fiji completes it; each side evaluates it"
call POST "/capacity/engagements/$ENGAGEMENT/updates" "$JPN" '{"body":"Trainers booked for 3 March."}' >/dev/null
call POST "/capacity/engagements/$ENGAGEMENT/updates" "$FJI" '{"body":"Six analysts registered."}' >/dev/null
call POST "/capacity/engagements/$ENGAGEMENT/complete" "$FJI" >/dev/null
call POST "/capacity/engagements/$ENGAGEMENT/evaluation" "$FJI" '{"outcome":"MET","feedback":"All six analysts certified."}' >/dev/null
call POST "/capacity/engagements/$ENGAGEMENT/evaluation" "$JPN" '{"outcome":"PARTLY_MET","feedback":"Two sessions were shortened."}' | jq -c '{status, needEvaluation: .needEvaluation.outcome, providerEvaluation: .providerEvaluation.outcome}'

step "Fiji marks the need fulfilled"
call POST "/capacity/needs/$NEED/fulfil" "$FJI" | jq -c '{status, fulfilledAt}'

step "The secretariat's neutral view: metadata (no text) and statistics"
call GET "/capacity/metadata/needs?state=FJI&limit=1" "$ADMIN" | jq -c '.items[0]'
call GET /capacity/statistics "$ADMIN" | jq -c '{needs: (.needs | {byStatus, matched, fulfilled, medianDaysToFirstProposal, medianDaysToFirstAcceptance}), outcomes: .engagements.outcomes}'
call GET "/public/capacity/statistics" "" | jq -c '{needs: .needs.openedByArea, suppressed}'
