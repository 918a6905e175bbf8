package smppgw.smpp;

import com.cloudhopper.smpp.pdu.QuerySmResp;

/** Where the answer to a query_sm goes: the query_sm_resp, or null when none came (expired, bind lost). Called once. */
public interface QueryAnswer {
    void answered(QuerySmResp resp, String bind);
}
