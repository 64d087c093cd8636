/**
 * The one trigger of Vehicle__c: all logic lives in VehicleTriggerHandler.
 */
trigger VehicleTrigger on Vehicle__c(after insert, after update) {
  new VehicleTriggerHandler().run(Trigger.operationType, Trigger.new, Trigger.oldMap);
}
